// The casework pages: exporter portal, officer console and adviser inbox. Every page works
// without JavaScript: forms post, the server redirects back (POST-redirect-GET) with a notice,
// or shows the page again with an error summary that links to the field.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "catalogue/catalogue.h"
#include "core/country.h"
#include "core/timestamp.h"
#include "licensing/audit.h"
#include "web/auth.h"
#include "web/case_input.h"
#include "web/handlers/app.h"
#include "web/handlers/page_support.h"
#include "web/http_status.h"
#include "web/respond.h"

namespace candor::web {
namespace {

using licensing::Role;
using nlohmann::json;

std::string match(const httplib::Request& request, std::size_t index) {
  return request.matches.size() > index ? request.matches[index].str() : "";
}

json countries_json(const std::string& selected) {
  json out = json::array();
  const auto all = CountryCode::all();
  if (!all.ok()) return out;
  for (const auto& c : all.value()) {
    out.push_back({{"code", c.alpha2()}, {"name", c.name()}, {"selected", c.alpha2() == selected}});
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  });
  return out;
}

json options_json(std::initializer_list<std::pair<const char*, const char*>> options,
                  const std::string& selected) {
  json out = json::array();
  for (const auto& [value, label] : options) {
    out.push_back({{"value", value}, {"label", label}, {"selected", selected == value}});
  }
  return out;
}

json end_user_types(const std::string& selected) {
  return options_json({{"intelligence", "Intelligence service"},
                       {"police", "Police or law enforcement"},
                       {"military", "Armed forces"},
                       {"other_government", "Other government body"},
                       {"telecom_operator", "Telecommunications operator"},
                       {"private_company", "Private company"},
                       {"research", "Research or academic"},
                       {"individual", "Individual"}},
                      selected);
}

json item_form_json(const licensing::Checks& checks) {
  json entries = json::array();
  for (const auto& entry : checks.catalogue().entries()) {
    entries.push_back({{"code", entry.code}, {"title", entry.title}});
  }
  json facts = json::array();
  for (const auto& fact : checks.catalogue().facts()) {
    if (fact.id == "kind") continue;
    facts.push_back({{"id", fact.id}, {"question", fact.question}});
  }
  return {{"entries", entries}, {"facts", facts}};
}

// The case file as the page shows it: the view plus what this actor can do on it.
json case_page(Context& context, const Visitor& visitor, json view) {
  const auto& user = visitor.session.user;
  const Role role = user.role;
  json page = view;
  page["is_exporter"] = role == Role::exporter;
  page["is_officer"] = role == Role::officer;
  page["is_adviser"] = role == Role::adviser;
  page["is_staff"] = role != Role::exporter;
  const std::string state = view["state"];
  const bool draft = state == "draft";
  page["is_draft"] = draft;
  page["editable"] = draft && role == Role::exporter;
  page["can_upload"] = (role == Role::exporter && (draft || state == "information_requested")) ||
                       role == Role::officer;
  page["has_licence"] = !view["licence_number"].is_null();
  page["refused"] = state == "refused";
  json can = json::object();
  for (const auto& action : view["actions"]) can[action.get<std::string>()] = true;
  page["can"] = can;
  const bool decide =
      can.contains("grant") || can.contains("grant_with_conditions") || can.contains("refuse");
  page["can_decide"] = decide;
  json criteria = json::array();
  for (const auto& c : licensing::refusal_criteria()) {
    criteria.push_back({{"code", c.code}, {"label", c.label}});
  }
  page["criteria_options"] = criteria;
  json conditions = json::array();
  for (const auto& c : licensing::standard_conditions()) {
    conditions.push_back({{"code", c.code}, {"label", c.label}});
  }
  page["condition_options"] = conditions;
  // Transitions other than the decision, each a small form with its reason.
  json other = json::array();
  static const std::pair<const char*, const char*> kOther[] = {
      {"start_review", "Start the review"},     {"resume_review", "Resume the review"},
      {"recommend", "Record a recommendation"}, {"amend", "Amend the licence"},
      {"suspend", "Suspend the licence"},       {"reinstate", "Reinstate the licence"},
      {"revoke", "Revoke the licence"},         {"annul", "Annul the decision"},
  };
  for (const auto& [action, label] : kOther) {
    if (can.contains(action) && role == Role::officer) {
      const bool needs_reason =
          std::string_view(action) != "start_review" && std::string_view(action) != "resume_review";
      other.push_back({{"action", action}, {"label", label}, {"needs_reason", needs_reason}});
    }
  }
  page["other_actions"] = other;
  page["has_other_actions"] = !other.empty();
  if (role == Role::officer) {
    json officers = json::array();
    json advisers = json::array();
    if (auto list = context.accounts.users_with_role(Role::officer); list.ok()) {
      for (const auto& o : *list) {
        const bool assigned = view["assigned_to"].is_object() && view["assigned_to"]["id"] == o.id;
        officers.push_back({{"id", o.id}, {"name", o.name}, {"selected", assigned}});
      }
    }
    if (auto list = context.accounts.users_with_role(Role::adviser); list.ok()) {
      for (const auto& a : *list) advisers.push_back({{"id", a.id}, {"name", a.name}});
    }
    page["officers"] = officers;
    page["advisers"] = advisers;
  }
  if (page["editable"].get<bool>()) {
    page["item_form"] = item_form_json(context.checks);
    page["id_prefix"] = "item-";
    page["countries"] = countries_json("");
  }
  if (role != Role::exporter) {
    page["evidence_countries"] = countries_json(
        view["destination"].is_object() ? view["destination"]["code"].get<std::string>() : "");
    // Classification, risk and hits in the shape the template reads.
    const auto& checks = view["checks"];
    json classified = json::array();
    if (checks["classification"].is_object()) {
      for (const auto& item : checks["classification"]["result"]) {
        json entry = {{"item", item.value("item", "")},
                      {"outcome", item.value("outcome", "")},
                      {"declared_entry", item.value("declared_entry", "")},
                      {"entries", item.value("entries", json::array())},
                      {"error", item.value("error", "")}};
        if (item.contains("classification")) {
          const auto& c = item["classification"];
          entry["applies"] = c.value("entries", json::array());
          entry["questions"] = c.value("question_details", json::array());
          entry["catch_all"] = c.value("catch_all", false);
        }
        classified.push_back(entry);
      }
    }
    page["classified"] = classified;
    if (checks["risk"].is_object()) {
      json risk = checks["risk"]["result"];
      const std::string level = risk.value("level", "");
      risk["level_label"] =
          level == "clear_risk" ? "Clear risk"
          : level.empty()
              ? ""
              : std::string(1, static_cast<char>(std::toupper(level[0]))) + level.substr(1);
      risk["tag_class"] = level == "low"        ? "govuk-tag--green"
                          : level == "elevated" ? "govuk-tag--yellow"
                          : level == "high"     ? "govuk-tag--orange"
                                                : "govuk-tag--red";
      for (auto& reason : risk["reasons"]) {
        const double weight = reason.value("weight", 0.0);
        char text[32];
        std::snprintf(text, sizeof text, "%.1f", weight);
        reason["weight"] = text;
      }
      if (risk.contains("score")) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f", risk["score"].get<double>());
        risk["score"] = text;
      }
      page["risk"] = risk;
      page["risk_run"] = {{"run_at", checks["risk"]["run_at"]},
                          {"version", checks["risk"]["data_versions"].dump()}};
    }
    if (checks["screening"].is_object()) {
      page["screening_run"] = {
          {"run_at", checks["screening"]["run_at"]},
          {"status", checks["screening"]["result"].value("status", "")},
          {"lists", checks["screening"]["data_versions"].value("lists", json::array())}};
    }
    json hits = view.value("screening_hits", json::array());
    for (auto& hit : hits) {
      hit["open"] = hit["cleared"].is_null();
      hit["score_text"] = std::to_string(std::lround(hit["score"].get<double>() * 100)) + "%";
      hit["can_clear"] = hit["open"].get<bool>() && role == Role::officer;
    }
    page["hits"] = hits;
    page["has_hits"] = !hits.empty();
    json advice = view.value("advice", json::array());
    for (auto& a : advice) {
      a["can_answer"] =
          role == Role::adviser && a["mine"].get<bool>() && a["answer"].get<std::string>().empty();
    }
    page["advice"] = advice;
    page["has_advice"] = !advice.empty();
    page["has_evidence"] = !view.value("evidence", json::array()).empty();
  }
  return page;
}

void show_case(const httplib::Request& request, httplib::Response& response, Context& context,
               const Visitor& visitor, const std::string& reference, const std::string& notice,
               const std::optional<Error>& error) {
  auto view = context.cases.view(visitor.session.user, reference);
  if (!view.ok()) {
    show_error_page(request, response, context, visitor, view.error());
    return;
  }
  json page = case_page(context, visitor, std::move(view).value());
  if (page.contains("denials")) {
    for (auto& d : page["denials"]) {
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", d["match"].value("end_user_score", 0.0));
      d["score_text"] = score;
      const std::string status = d.value("status", "");
      d["status_label"] = status == "answered"           ? "Consultation answered"
                          : status == "granted anyway"   ? "Reasons recorded"
                          : status == "denial withdrawn" ? "Denial withdrawn"
                                                         : status;
      if (d.contains("consultation")) {
        const std::string position = d["consultation"].value("position", "");
        d["consultation"]["position_label"] = position == "no_objection" ? "No objection"
                                              : position == "denial_maintained"
                                                  ? "Denial maintained"
                                                  : "";
      }
    }
    page["has_denials"] = !page["denials"].empty();
    page["can_override_denials"] = page.value("denials_holding", 0) > 0;
  }
  humanise_times(page);
  page["notice"] = notice;
  if (error) page["error"] = error_json(*error);
  respond_user_page(response, context, visitor, "case.html", page,
                    reference + ": " + page["title"].get<std::string>(), error.has_value());
  if (error) response.status = http_status(error->kind());
}

}  // namespace

void get_cases(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  const auto& user = visitor->session.user;
  if (user.role == Role::admin) {
    redirect(response, "/admin");
    return;
  }
  licensing::CaseFilter filter{request.get_param_value("state"),
                               request.get_param_value("assigned"), request.get_param_value("q")};
  auto list = context.cases.list(user, filter);
  if (!list.ok()) {
    show_error_page(request, response, context, *visitor, list.error());
    return;
  }
  json page = list.value();
  for (auto& c : page["cases"]) c["has_open_hits"] = c.value("open_hits", 0) > 0;
  page["is_exporter"] = user.role == Role::exporter;
  page["is_officer"] = user.role == Role::officer;
  page["q"] = filter.query;
  page["state_options"] = options_json({{"", "Any state"},
                                        {"open", "Open (not decided)"},
                                        {"submitted", "Submitted"},
                                        {"under_review", "Under review"},
                                        {"information_requested", "Information requested"},
                                        {"answered", "Answered"},
                                        {"advice_requested", "Advice requested"},
                                        {"recommended", "Recommended"},
                                        {"decided", "Decided"},
                                        {"granted", "Granted"},
                                        {"granted_with_conditions", "Granted with conditions"},
                                        {"refused", "Refused"},
                                        {"withdrawn", "Withdrawn"}},
                                       filter.state);
  page["assigned_options"] =
      options_json({{"", "Anyone or no one"}, {"me", "Me"}, {"none", "No one"}}, filter.assigned);
  page["has_cases"] = !page["cases"].empty();
  page["notice"] = notice_of(request);
  const std::string title = user.role == Role::exporter ? "Your applications" : "Cases";
  respond_user_page(response, context, *visitor, "cases.html", page, title);
}

void get_new_case(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  if (visitor->session.user.role != Role::exporter) {
    show_error_page(request, response, context, *visitor,
                    Error::permission_denied("Only exporters apply for licences."));
    return;
  }
  json page = {{"item_form", item_form_json(context.checks)},
               {"id_prefix", "items-0-"},
               {"countries", countries_json("")},
               {"end_user_types", end_user_types("other_government")},
               {"form", {{"licence_type", "individual"}, {"currency", "EUR"}, {"quantity", "1"}}}};
  respond_user_page(response, context, *visitor, "case_new.html", page, "Apply for a licence");
}

void post_cases(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  const Form form = form_of(request);
  if (!check_form_csrf(request, response, context, *visitor, form.get("csrf_token"))) return;
  const auto fields = fields_of(form, context.checks);
  licensing::CaseInput input;
  input.licence_type = form.get("licence_type");
  input.title = form.get("title");
  input.end_use = form.get("end_use");
  input.end_user_type = form.get("end_user_type");
  input.withhold_exporter = form.get("withhold_exporter") == "yes";
  input.items.push_back(item_from(*fields, "item_"));
  input.parties.push_back(party_from(*fields, "end_user_", "end_user"));
  if (!form.get("consignee_name").empty() || !form.get("consignee_country").empty()) {
    input.parties.push_back(party_from(*fields, "consignee_", "consignee"));
  }
  if (!form.get("intermediary_name").empty() || !form.get("intermediary_country").empty()) {
    input.parties.push_back(party_from(*fields, "intermediary_", "intermediary"));
  }
  auto reference = context.cases.create(visitor->session.user, input);
  if (reference.ok()) {
    redirect(response, "/cases/" + *reference + "?done=" + done_code("Draft saved"));
    return;
  }
  // Shown again with what was typed, the error summary and the field marked.
  json form_json = json::object();
  for (const char* name :
       {"licence_type", "title", "end_use", "item_name", "item_description", "item_declared_entry",
        "item_quantity", "item_value", "item_currency", "end_user_name", "end_user_address",
        "consignee_name", "consignee_address", "intermediary_name", "intermediary_address",
        "fact_kind"}) {
    form_json[name] = form.get(name);
  }
  form_json["individual"] = form.get("licence_type") != "global";
  json item_form = item_form_json(context.checks);
  const auto ticked = form.all("facts");
  for (auto& fact : item_form["facts"]) {
    fact["checked"] =
        std::find(ticked.begin(), ticked.end(), fact["id"].get<std::string>()) != ticked.end();
  }
  for (auto& entry : item_form["entries"]) {
    entry["selected"] = entry["code"] == form.get("item_declared_entry");
  }
  const Error& error = reference.error();
  const std::string field = error_field(error);
  json page = {{"item_form", item_form},
               {"id_prefix", "items-0-"},
               {"countries", countries_json(form.get("end_user_country"))},
               {"consignee_countries", countries_json(form.get("consignee_country"))},
               {"intermediary_countries", countries_json(form.get("intermediary_country"))},
               {"end_user_types", end_user_types(form.get("end_user_type"))},
               {"form", form_json},
               {"error", error_json(error)},
               {"err", {{field.empty() ? "general" : field, error.message()}}}};
  respond_user_page(response, context, *visitor, "case_new.html", page, "Apply for a licence",
                    true);
  response.status = http_status(error.kind());
}

void get_case(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  show_case(request, response, context, *visitor, match(request, 1), notice_of(request),
            std::nullopt);
}

void post_case_operation(const httplib::Request& request, httplib::Response& response,
                         Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  const Form form = form_of(request);
  if (!check_form_csrf(request, response, context, *visitor, form.get("csrf_token"))) return;
  const std::string reference = match(request, 1);
  const std::string op = match(request, 2);
  const auto id = parse_int(match(request, 3));
  const std::string sub = match(request, 4);
  Result<std::string> done = std::string();
  if (op == "documents") {
    if (!request.has_file("file") || request.get_file_value("file").filename.empty()) {
      done = Error::invalid_argument("file: choose a file to upload");
    } else {
      const auto file = request.get_file_value("file");
      auto uploaded = context.cases.add_document(
          visitor->session.user, reference,
          {form.get("kind"), file.filename, file.content_type, file.content});
      done = uploaded.ok() ? Result<std::string>(std::string("Document uploaded"))
                           : Result<std::string>(uploaded.error());
    }
  } else {
    done = perform(context.cases, visitor->session.user, reference, op, id, sub,
                   *fields_of(form, context.checks));
  }
  if (done.ok()) {
    if (context.nudge_courier) context.nudge_courier();  // A decision may have queued notices.
    const std::string target = visitor->session.user.role == Role::adviser && op == "advice"
                                   ? "/advice?done=" + done_code(*done)
                                   : "/cases/" + reference + "?done=" + done_code(*done);
    redirect(response, target);
    return;
  }
  show_case(request, response, context, *visitor, reference, "", done.error());
}

void get_licence(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  auto licence = context.cases.licence(visitor->session.user, match(request, 1));
  if (!licence.ok()) {
    show_error_page(request, response, context, *visitor, licence.error());
    return;
  }
  json page = licence.value();
  page["has_conditions"] = !page["conditions"].empty();
  page["individual"] = page["licence_type"] == "individual";
  respond_user_page(response, context, *visitor, "licence.html", page,
                    "Licence " + page["licence_number"].get<std::string>());
}

void get_document(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  const auto id = parse_int(match(request, 1));
  auto document = id ? context.cases.read_document(visitor->session.user, *id)
                     : Result<licensing::Document>(Error::not_found("no such document"));
  if (!document.ok()) {
    show_error_page(request, response, context, *visitor, document.error());
    return;
  }
  response.set_header("Content-Disposition", "attachment; filename=\"" + document->filename + "\"");
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-SHA256", document->sha256);
  response.set_content(document->content, download_type(document->content_type));
}

void get_advice_inbox(const httplib::Request& request, httplib::Response& response,
                      Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  auto inbox = context.cases.advice_inbox(visitor->session.user);
  if (!inbox.ok()) {
    show_error_page(request, response, context, *visitor, inbox.error());
    return;
  }
  json page = inbox.value();
  humanise_times(page);
  page["has_requests"] = !page["requests"].empty();
  page["notice"] = notice_of(request);
  respond_user_page(response, context, *visitor, "advice.html", page, "Advice inbox");
}

void get_admin(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  if (visitor->session.user.role != Role::admin) {
    show_error_page(request, response, context, *visitor,
                    Error::permission_denied("Only administrators manage accounts."));
    return;
  }
  json users = json::array();
  for (const Role role : {Role::officer, Role::adviser, Role::exporter, Role::admin}) {
    if (auto list = context.accounts.users_with_role(role); list.ok()) {
      for (const auto& u : *list) {
        users.push_back({{"name", u.name},
                         {"email", u.email},
                         {"role", licensing::to_string(u.role)},
                         {"organisation", u.organisation_name}});
      }
    }
  }
  respond_user_page(response, context, *visitor, "admin.html",
                    {{"users", users}, {"notice", notice_of(request)}}, "Administration");
}

void post_admin_users(const httplib::Request& request, httplib::Response& response,
                      Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  const Form form = form_of(request);
  if (!check_form_csrf(request, response, context, *visitor, form.get("csrf_token"))) return;
  if (visitor->session.user.role != Role::admin) {
    show_error_page(request, response, context, *visitor,
                    Error::permission_denied("Only administrators manage accounts."));
    return;
  }
  const auto role = licensing::role_from_string(form.get("role"));
  auto created =
      role ? context.accounts.create_user({form.get("email"), form.get("name"), *role,
                                           form.get("organisation"), "", form.get("password")})
           : Result<licensing::User>(Error::invalid_argument("role: choose a role"));
  if (!created.ok()) {
    show_error_page(request, response, context, *visitor, created.error());
    return;
  }
  redirect(response, "/admin?done=" + done_code("Account created"));
}

void get_admin_audit(const httplib::Request& request, httplib::Response& response,
                     Context& context) {
  auto visitor = page_visitor(request, response, context);
  if (!visitor) return;
  if (visitor->session.user.role != Role::admin) {
    show_error_page(request, response, context, *visitor,
                    Error::permission_denied("Only administrators export the audit trail."));
    return;
  }
  auto csv = licensing::audit_csv(context.db);
  if (!csv.ok()) {
    show_error_page(request, response, context, *visitor, csv.error());
    return;
  }
  response.set_header("Content-Disposition", "attachment; filename=\"candor-audit.csv\"");
  response.set_header("Cache-Control", "no-store");
  response.set_content(csv.value(), "text/csv; charset=utf-8");
}

}  // namespace candor::web
