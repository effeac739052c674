// Helpers the handlers of signed-in pages share (page_support.h).
#include "web/handlers/page_support.h"

#include <algorithm>
#include <cctype>

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

namespace {

// Every notice a page may show after an action (case_input.cc's perform, the pages' own).
constexpr std::string_view kNotices[] = {
    "Draft saved",
    "Item added",
    "Item removed",
    "Party added",
    "Party removed",
    "Document uploaded",
    "Application submitted",
    "Application withdrawn",
    "Review started",
    "Question sent to the exporter",
    "Answer sent to the licensing authority",
    "Review resumed",
    "Recommendation recorded",
    "Licence granted",
    "Licence granted with conditions",
    "Licence refused",
    "Licence amended",
    "Licence suspended",
    "Licence reinstated",
    "Licence revoked",
    "Decision annulled",
    "Assignment saved",
    "Checks run again with the current data",
    "Reasons for granting despite the denials recorded",
    "Screening hit cleared",
    "Advice requested",
    "Advice sent to the officer",
    "Evidence added",
    "Answer sent",
    "Account created",
};

std::string slug(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

std::string done_code(std::string_view notice) { return slug(notice); }

std::string notice_of(const httplib::Request& request) {
  const std::string code = request.get_param_value("done");
  if (code.empty()) return "";
  for (const auto notice : kNotices) {
    if (slug(notice) == code) return std::string(notice);
  }
  return "";
}

}  // namespace candor::web
