// The search index's scanner of stored entries against the JSON parser it stands in for: for
// any text, fields_of must refuse exactly what is not an object with an entry_id, and read
// what columns_of reads from the parsed document.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "register/fields.h"
#include "register/publish.h"

namespace {

// The scanner refuses nesting past kMaxEntryDepth levels; the document parser has no such
// limit, so texts near it are left out (the two count levels from different starting points).
bool too_deep(const std::string& text) {
  int deepest = 0;
  const auto track = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    deepest = std::max(deepest, depth);
    return depth <= candor::reg::kMaxEntryDepth;  // Deeper values are not kept.
  };
  (void)nlohmann::json::parse(text, track, /*allow_exceptions=*/false);
  return deepest >= candor::reg::kMaxEntryDepth - 2;
}

void same(const std::string& a, const std::string& b) {
  if (a != b) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // nlohmann's parser takes a NUL byte for the end of the text; the scanner refuses it.
  if (too_deep(text) || text.find('\0') != std::string::npos) return 0;
  const auto read = reg::fields_of(text);
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool entry = !doc.is_discarded() && doc.is_object() && doc.contains("entry_id") &&
                     doc["entry_id"].is_string() && !doc["entry_id"].get<std::string>().empty();
  if (read.ok() != entry) std::abort();
  if (!entry) return 0;
  const reg::NewEntry want = reg::columns_of(doc, text);
  same(read->entry_id, want.entry_id);
  same(read->authority, want.authority);
  same(read->decision, want.decision);
  same(read->decision_date, want.decision_date);
  same(read->destination, want.destination);
  same(read->end_user_type, want.end_user_type);
  same(read->category, want.category);
  same(read->control_entries, want.control_entries);
  same(read->exporter, want.exporter);
  same(read->value_band, want.value_band);
  same(read->corrects, want.corrects);
  same(read->description, want.description);
  same(read->destination_name, want.destination_name);
  return 0;
}
