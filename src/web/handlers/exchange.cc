// The exchange between authorities on the web: the endpoint peers deliver their signed
// messages to, this authority's exchange key, and the officers' exchange page (denials,
// consultations both ways, grants notified by others, delivery to each peer).
#include "licensing/exchange.h"

#include "web/auth.h"
#include "web/case_input.h"
#include "web/form.h"
#include "web/handlers/app.h"
#include "web/handlers/page_support.h"
#include "web/respond.h"

namespace candor::web {
namespace {

using nlohmann::json;

const Error kNoExchange =
    Error::unavailable("this authority exchanges no messages with others (no --exchange file)");

std::string match(const httplib::Request& request, std::size_t index) {
  return request.matches.size() > index ? request.matches[index].str() : "";
}

const char* position_label(const std::string& position) {
  if (position == "denial_maintained") return "Denial maintained";
  if (position == "no_objection") return "No objection";
  return "";
}

void show_exchange(const httplib::Request& request, httplib::Response& response, Context& context,
                   const Visitor& visitor, const std::optional<Error>& error,
                   const std::string& notice) {
  if (context.exchange == nullptr) {
    if (visitor.session.user.role != licensing::Role::officer) {
      show_error_page(request, response, context, visitor,
                      Error::permission_denied("Only licensing officers read the exchange."));
      return;
    }
    respond_user_page(response, context, visitor, "exchange.html", {{"configured", false}},
                      "Other authorities");
    return;
  }
  auto overview = context.exchange->overview(visitor.session.user);
  if (!overview.ok()) {
    show_error_page(request, response, context, visitor, overview.error());
    return;
  }
  json page = std::move(overview).value();
  page["configured"] = true;
  json incoming = json::array();
  json outgoing = json::array();
  for (auto& k : page["consultations"]) {
    if (k.value("answered", false)) k["position_label"] = position_label(k.value("position", ""));
    (k.value("direction", "") == "incoming" ? incoming : outgoing).push_back(k);
  }
  page["incoming"] = incoming;
  page["outgoing"] = outgoing;
  page["has_incoming"] = !incoming.empty();
  page["has_outgoing"] = !outgoing.empty();
  page["has_peers"] = !page["peers"].empty();
  page["has_denials"] = !page["denials"].empty();
  page["has_notices"] = !page["grant_notices"].empty();
  page["notice"] = notice;
  if (error) page["error"] = error_json(*error);
  humanise_times(page);
  respond_user_page(response, context, visitor, "exchange.html", page, "Other authorities",
                    error.has_value());
  if (error) response.status = 400;
}

}  // namespace

void post_exchange_message(const httplib::Request& request, httplib::Response& response,
                           Context& context) {
  if (context.exchange == nullptr) {
    respond_error(request, response, context, kNoExchange);
    return;
  }
  auto acknowledged = context.exchange->receive(request.body);
  if (!acknowledged.ok()) {
    respond_error(request, response, context, acknowledged.error());
    return;
  }
  respond_json(response, 200, *acknowledged);
}

void get_exchange_key(const httplib::Request& request, httplib::Response& response,
                      Context& context) {
  if (context.exchange == nullptr) {
    respond_error(request, response, context, kNoExchange);
    return;
  }
  response.set_content(context.exchange->config().key.verifier().to_string() + "\n",
                       "text/plain; charset=utf-8");
}

void get_exchange(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  show_exchange(request, response, context, *visitor, std::nullopt, notice_of(request));
}

void post_consultation_answer(const httplib::Request& request, httplib::Response& response,
                              Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  const Form form = form_of(request);
  if (!check_form_csrf(request, response, context, *visitor, form.get("csrf_token"))) return;
  if (context.exchange == nullptr) {
    show_error_page(request, response, context, *visitor, kNoExchange);
    return;
  }
  const auto id = parse_int(match(request, 1));
  auto answered = id ? context.exchange->answer_consultation(
                           visitor->session.user, *id, form.get("position"), form.get("answer"))
                     : Result<void>(Error::not_found("no such consultation"));
  if (!answered.ok()) {
    if (answered.error().kind() == ErrorKind::invalid_argument ||
        answered.error().kind() == ErrorKind::conflict) {
      show_exchange(request, response, context, *visitor, answered.error(), "");
    } else {
      show_error_page(request, response, context, *visitor, answered.error());
    }
    return;
  }
  if (context.nudge_courier) context.nudge_courier();
  redirect(response, "/exchange?done=" + done_code("Answer sent"));
}

}  // namespace candor::web
