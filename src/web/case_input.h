// The fields of a casework request, whether a browser sent a form or a client sent JSON, and
// the one dispatcher that turns them into licensing operations. The pages and the API share
// it, so that both accept exactly the same operations with the same rules.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "licensing/cases.h"
#include "web/form.h"

namespace candor::web {

class Fields {
 public:
  virtual ~Fields() = default;
  virtual std::string get(std::string_view name) const = 0;
  virtual std::vector<std::string> all(std::string_view name) const = 0;
  // The catalogue facts of an item: a JSON object for the API; for a form, the select
  // "fact_kind" and the ticked checkboxes "facts" (every other yes/no fact is "no").
  virtual nlohmann::json facts() const = 0;
  // Forms name item fields "item_name", ... (the new-application form has other fields too);
  // JSON bodies say "name", ...
  virtual std::string item_prefix() const = 0;
};

// The nesting a JSON request body may have. Deeper bodies are refused before anything reads
// them: nlohmann's copy, dump and comparison recurse once per level, so a body nested a
// hundred thousand deep would overflow the stack of whichever code touched it. Every body the
// API takes is at most four levels deep.
inline constexpr std::size_t kMaxRequestJsonDepth = 16;

// Parses a JSON request body (empty means {}) strictly, under the depth limit above.
// Errors: invalid_argument when it is not one JSON object, naming what is wrong.
Result<nlohmann::json> parse_request_object(std::string_view body);

std::unique_ptr<Fields> fields_of(const Form& form, const licensing::Checks& checks);
// Errors: invalid_argument when the body is not a JSON object.
Result<std::unique_ptr<Fields>> fields_of(const std::string& json_body);

// One operation on a case: `op` is items, parties, documents (not here: uploads carry a file),
// actions, assign, checks, hits, advice or evidence; `id` and `sub` are the optional
// "/{id}/{remove|clear|answer}" that follows. Returns what was done, for the notice.
Result<std::string> perform(licensing::Cases& cases, const licensing::User& actor,
                            const std::string& reference, const std::string& op,
                            std::optional<std::int64_t> id, const std::string& sub,
                            const Fields& fields);

// A whole application as the API takes it: {licence_type, title, end_use, end_user_type,
// items: [{name, description, declared_entry, quantity, value, currency, facts}],
// parties: [{role, name, country, kind, address}]}. Errors name the field of the wrong type.
Result<licensing::CaseInput> case_input_from_json(const nlohmann::json& body);

licensing::ItemInput item_from(const Fields& fields, const std::string& prefix);
licensing::PartyInput party_from(const Fields& fields, const std::string& prefix,
                                 const std::string& role);

// The type a stored document is sent back with: the uploader's type when it is one browsers
// cannot run (PDF, images, plain text, office formats), else application/octet-stream, so that
// an uploaded page or script is never rendered from Candor's origin.
std::string download_type(const std::string& uploaded_type);

// A whole decimal number (no sign, no spaces), or nullopt.
std::optional<std::int64_t> parse_int(const std::string& text);

// "items[0].value: ..." -> "items-0-value", the id of the form field to link to.
std::string error_field(const Error& error);

}  // namespace candor::web
