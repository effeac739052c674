#include "web/case_input.h"

#include <charconv>

#include "core/canonical_json.h"

namespace candor::web {
namespace {

class FormFields final : public Fields {
 public:
  FormFields(Form form, const licensing::Checks& checks)
      : form_(std::move(form)), checks_(checks) {}
  std::string get(std::string_view name) const override { return form_.get(name); }
  std::vector<std::string> all(std::string_view name) const override { return form_.all(name); }
  nlohmann::json facts() const override {
    nlohmann::json out = nlohmann::json::object();
    const auto ticked = form_.all("facts");
    for (const auto& fact : checks_.catalogue().facts()) {
      if (fact.id == "kind") {
        const std::string kind = form_.get("fact_kind");
        if (!kind.empty()) out["kind"] = kind;
        continue;
      }
      out[fact.id] = std::find(ticked.begin(), ticked.end(), fact.id) != ticked.end();
    }
    // A ticked box that names no fact is kept, so that the catalogue reports it by name.
    for (const auto& id : ticked) {
      if (!out.contains(id)) out[id] = true;
    }
    return out;
  }
  std::string item_prefix() const override { return "item_"; }

 private:
  Form form_;
  const licensing::Checks& checks_;
};

class JsonFields final : public Fields {
 public:
  explicit JsonFields(nlohmann::json body) : body_(std::move(body)) {}
  std::string get(std::string_view name) const override {
    const auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) return "";
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
  }
  std::vector<std::string> all(std::string_view name) const override {
    std::vector<std::string> out;
    const auto it = body_.find(name);
    if (it == body_.end()) return out;
    if (!it->is_array()) return {get(name)};
    for (const auto& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    return out;
  }
  nlohmann::json facts() const override {
    const auto it = body_.find("facts");
    return it == body_.end() ? nlohmann::json::object() : *it;
  }
  std::string item_prefix() const override { return ""; }

 private:
  nlohmann::json body_;
};

Result<std::int64_t> required_int(const Fields& fields, std::string_view name) {
  const auto value = parse_int(fields.get(name));
  if (!value) return Error::invalid_argument(std::string(name) + ": choose one");
  return *value;
}

}  // namespace

std::optional<std::int64_t> parse_int(const std::string& text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string download_type(const std::string& uploaded_type) {
  static constexpr std::string_view kSafe[] = {
      "application/pdf",
      "image/png",
      "image/jpeg",
      "text/plain",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.oasis.opendocument.text",
      "application/msword"};
  for (const auto safe : kSafe) {
    if (uploaded_type == safe) return uploaded_type;
  }
  return "application/octet-stream";
}

std::unique_ptr<Fields> fields_of(const Form& form, const licensing::Checks& checks) {
  return std::make_unique<FormFields>(form, checks);
}

Result<nlohmann::json> parse_request_object(std::string_view body) {
  auto parsed =
      json::parse_strict(body.empty() ? std::string_view("{}") : body,
                         {.max_bytes = body.size() + 2, .max_depth = kMaxRequestJsonDepth});
  if (!parsed.ok()) {
    return Error::invalid_argument("the request body is not valid JSON: " +
                                   parsed.error().message());
  }
  if (!parsed->is_object())
    return Error::invalid_argument("the request body must be a JSON object");
  return parsed;
}

Result<std::unique_ptr<Fields>> fields_of(const std::string& json_body) {
  auto body = CANDOR_TRY(parse_request_object(json_body));
  return std::unique_ptr<Fields>(std::make_unique<JsonFields>(std::move(body)));
}

licensing::ItemInput item_from(const Fields& fields, const std::string& prefix) {
  licensing::ItemInput item;
  item.name = fields.get(prefix + "name");
  item.description = fields.get(prefix + "description");
  item.declared_entry = fields.get(prefix + "declared_entry");
  item.facts = fields.facts();
  const auto quantity = parse_int(fields.get(prefix + "quantity"));
  item.quantity = quantity.value_or(0);
  item.value = fields.get(prefix + "value");
  item.currency = fields.get(prefix + "currency");
  if (item.currency.empty()) item.currency = "EUR";
  return item;
}

licensing::PartyInput party_from(const Fields& fields, const std::string& prefix,
                                 const std::string& role) {
  licensing::PartyInput party;
  party.role = role.empty() ? fields.get(prefix + "role") : role;
  party.name = fields.get(prefix + "name");
  party.country = fields.get(prefix + "country");
  party.kind = fields.get(prefix + "kind");
  if (party.kind.empty()) party.kind = "organisation";
  party.address = fields.get(prefix + "address");
  return party;
}

Result<std::string> perform(licensing::Cases& cases, const licensing::User& actor,
                            const std::string& reference, const std::string& op,
                            std::optional<std::int64_t> id, const std::string& sub,
                            const Fields& fields) {
  using licensing::Action;
  if (op == "items" && !id) {
    CANDOR_TRY(cases.add_item(actor, reference, item_from(fields, fields.item_prefix())));
    return std::string("Item added");
  }
  if (op == "items" && id && sub == "remove") {
    CANDOR_TRY(cases.remove_item(actor, reference, *id));
    return std::string("Item removed");
  }
  if (op == "parties" && !id) {
    CANDOR_TRY(cases.add_party(actor, reference, party_from(fields, "", "")));
    return std::string("Party added");
  }
  if (op == "parties" && id && sub == "remove") {
    CANDOR_TRY(cases.remove_party(actor, reference, *id));
    return std::string("Party removed");
  }
  if (op == "actions" && !id) {
    const auto action = licensing::action_from_string(fields.get("action"));
    if (!action) return Error::invalid_argument("action: choose what to do");
    licensing::ActionInput input{*action, fields.get("reason"), fields.all("criteria"), {}};
    for (auto& condition : fields.all("conditions")) input.conditions.push_back(condition);
    // Free-text conditions, one per line, after the ticked standard ones.
    std::string other = fields.get("other_conditions");
    std::size_t start = 0;
    while (start < other.size()) {
      std::size_t end = other.find('\n', start);
      if (end == std::string::npos) end = other.size();
      std::string line = other.substr(start, end - start);
      if (line.find_first_not_of(" \t\r") != std::string::npos) input.conditions.push_back(line);
      start = end + 1;
    }
    CANDOR_TRY(cases.act(actor, reference, input));
    static const std::pair<Action, const char*> kDone[] = {
        {Action::submit, "Application submitted"},
        {Action::withdraw, "Application withdrawn"},
        {Action::start_review, "Review started"},
        {Action::request_information, "Question sent to the exporter"},
        {Action::answer, "Answer sent to the licensing authority"},
        {Action::resume_review, "Review resumed"},
        {Action::recommend, "Recommendation recorded"},
        {Action::grant, "Licence granted"},
        {Action::grant_with_conditions, "Licence granted with conditions"},
        {Action::refuse, "Licence refused"},
        {Action::amend, "Licence amended"},
        {Action::suspend, "Licence suspended"},
        {Action::reinstate, "Licence reinstated"},
        {Action::revoke, "Licence revoked"},
        {Action::annul, "Decision annulled"},
    };
    for (const auto& [done_action, label] : kDone) {
      if (done_action == *action) return std::string(label);
    }
    return std::string(licensing::to_string(*action));
  }
  if (op == "assign" && !id) {
    const std::string officer = fields.get("officer_id");
    std::optional<std::int64_t> officer_id;
    if (!officer.empty() && officer != "none") {
      officer_id = parse_int(officer);
      if (!officer_id) return Error::invalid_argument("officer_id: choose an officer");
    }
    CANDOR_TRY(cases.assign(actor, reference, officer_id, fields.get("target_date")));
    return std::string("Assignment saved");
  }
  if (op == "checks" && !id) {
    CANDOR_TRY(cases.run_checks(actor, reference));
    return std::string("Checks run again with the current data");
  }
  if (op == "denials" && !id) {
    CANDOR_TRY(cases.grant_despite_denials(actor, reference, fields.get("reason")));
    return std::string("Reasons for granting despite the denials recorded");
  }
  if (op == "hits" && id && sub == "clear") {
    CANDOR_TRY(cases.clear_hit(actor, reference, *id, fields.get("outcome"), fields.get("reason")));
    return std::string("Screening hit cleared");
  }
  if (op == "advice" && !id) {
    const auto adviser = CANDOR_TRY(required_int(fields, "adviser_id"));
    CANDOR_TRY(cases.request_advice(actor, reference, adviser, fields.get("question")));
    return std::string("Advice requested");
  }
  if (op == "advice" && id && sub == "answer") {
    CANDOR_TRY(cases.answer_advice(actor, *id, fields.get("answer")));
    return std::string("Advice sent to the officer");
  }
  if (op == "evidence" && !id) {
    licensing::EvidenceInput input{reference,
                                   fields.get("country"),
                                   fields.get("end_user"),
                                   fields.get("kind"),
                                   fields.get("summary"),
                                   fields.get("source_title"),
                                   fields.get("source_url"),
                                   fields.get("occurred_on")};
    CANDOR_TRY(cases.add_evidence(actor, input));
    return std::string("Evidence added");
  }
  return Error::not_found("no such operation on a case");
}

Result<licensing::CaseInput> case_input_from_json(const nlohmann::json& body) {
  if (!body.is_object()) return Error::invalid_argument("the request body must be a JSON object");
  licensing::CaseInput input;
  const auto text = [&](const nlohmann::json& object, const char* key, std::string& out,
                        const std::string& where) -> Result<void> {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) return Error::invalid_argument(where + key + ": must be a string");
    out = it->get<std::string>();
    return {};
  };
  CANDOR_TRY(text(body, "licence_type", input.licence_type, ""));
  CANDOR_TRY(text(body, "title", input.title, ""));
  CANDOR_TRY(text(body, "end_use", input.end_use, ""));
  CANDOR_TRY(text(body, "end_user_type", input.end_user_type, ""));
  if (body.contains("withhold_exporter")) {
    if (!body["withhold_exporter"].is_boolean()) {
      return Error::invalid_argument("withhold_exporter: must be true or false");
    }
    input.withhold_exporter = body["withhold_exporter"].get<bool>();
  }
  // Read in place, never copied: a copy recurses once per level of nesting.
  static const nlohmann::json kNone = nlohmann::json::array();
  const auto member = [&](const char* key) -> const nlohmann::json& {
    const auto it = body.find(key);
    return it == body.end() ? kNone : *it;
  };
  const nlohmann::json& items = member("items");
  const nlohmann::json& parties = member("parties");
  if (!items.is_array()) return Error::invalid_argument("items: must be an array");
  if (!parties.is_array()) return Error::invalid_argument("parties: must be an array");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "].";
    if (!items[i].is_object()) return Error::invalid_argument(where + ": must be an object");
    licensing::ItemInput item;
    CANDOR_TRY(text(items[i], "name", item.name, where));
    CANDOR_TRY(text(items[i], "description", item.description, where));
    CANDOR_TRY(text(items[i], "declared_entry", item.declared_entry, where));
    CANDOR_TRY(text(items[i], "value", item.value, where));
    CANDOR_TRY(text(items[i], "currency", item.currency, where));
    if (item.currency.empty()) item.currency = "EUR";
    if (items[i].contains("quantity")) {
      if (!items[i]["quantity"].is_number_integer()) {
        return Error::invalid_argument(where + "quantity: must be a whole number");
      }
      item.quantity = items[i]["quantity"].get<std::int64_t>();
    }
    if (const auto facts = items[i].find("facts"); facts != items[i].end()) {
      if (!facts->is_object()) return Error::invalid_argument(where + "facts: must be an object");
      item.facts = *facts;
    } else {
      item.facts = nlohmann::json::object();
    }
    input.items.push_back(std::move(item));
  }
  for (std::size_t i = 0; i < parties.size(); ++i) {
    const std::string where = "parties[" + std::to_string(i) + "].";
    if (!parties[i].is_object()) return Error::invalid_argument(where + ": must be an object");
    licensing::PartyInput party;
    CANDOR_TRY(text(parties[i], "role", party.role, where));
    CANDOR_TRY(text(parties[i], "name", party.name, where));
    CANDOR_TRY(text(parties[i], "country", party.country, where));
    CANDOR_TRY(text(parties[i], "kind", party.kind, where));
    CANDOR_TRY(text(parties[i], "address", party.address, where));
    if (party.kind.empty()) party.kind = "organisation";
    input.parties.push_back(std::move(party));
  }
  return input;
}

std::string error_field(const Error& error) {
  const std::string& message = error.message();
  const auto colon = message.find(": ");
  if (colon == std::string::npos) return "";
  std::string field = message.substr(0, colon);
  if (field.find(' ') != std::string::npos) return "";
  std::string out;
  for (const char ch : field) {
    if (ch == '[' || ch == '.') {
      out.push_back('-');
    } else if (ch != ']') {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace candor::web
