// Helpers the handlers of signed-in pages share (page_support.h).
#include "web/handlers/page_support.h"

#include <algorithm>

#include "core/timestamp.h"
#include "web/case_input.h"
#include "web/http_status.h"
#include "web/respond.h"

namespace candor::web {

using nlohmann::json;

namespace {

// "2026-11-05T17:26:11.643Z" -> "5 Nov 2026, 17:26 UTC"; other text is returned unchanged.
std::string display_time(const std::string& text) {
  const auto t = Timestamp::parse_rfc3339(text);
  if (!t.ok() || text.size() < 16) return text;
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string utc = t->to_rfc3339();  // YYYY-MM-DDTHH:MM...
  const int month = std::stoi(utc.substr(5, 2));
  const int day = std::stoi(utc.substr(8, 2));
  return std::to_string(day) + " " + kMonths[month - 1] + " " + utc.substr(0, 4) + ", " +
         utc.substr(11, 5) + " UTC";
}

}  // namespace

void humanise_times(json& value) {
  static constexpr std::string_view kKeys[] = {"at",
                                               "submitted_at",
                                               "decided_at",
                                               "created_at",
                                               "run_at",
                                               "requested_at",
                                               "answered_at",
                                               "uploaded_at",
                                               "added_at",
                                               "last_delivered_at",
                                               "next_attempt_at",
                                               "found_at",
                                               "overridden_at",
                                               "withdrawn_at",
                                               "checked_at",
                                               "verified_at",
                                               "detected_at"};
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      json& member = it.value();
      if (member.is_string() &&
          std::find(std::begin(kKeys), std::end(kKeys), it.key()) != std::end(kKeys)) {
        member = display_time(member.get<std::string>());
      } else {
        humanise_times(member);
      }
    }
  } else if (value.is_array()) {
    for (auto& element : value) humanise_times(element);
  }
}

json error_json(const Error& error) {
  const std::string field = error_field(error);
  return {{"message", error.message()}, {"href", "#" + (field.empty() ? "main-content" : field)}};
}

void show_error_page(const httplib::Request& request, httplib::Response& response, Context& context,
                     const Visitor& visitor, const Error& error) {
  const int status = http_status(error.kind());
  const std::string message = status >= 500 && error.kind() != ErrorKind::unavailable
                                  ? "Something went wrong on our side. It has been logged."
                                  : error.message();
  if (status >= 500) {
    respond_error(request, response, context, error);
    return;
  }
  respond_user_page(response, context, visitor, "error.html",
                    {{"status", status}, {"message", message}}, "Error " + std::to_string(status));
  response.status = status;
}

}  // namespace candor::web
