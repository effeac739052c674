#include "register/fields.h"

#include <cstdint>
#include <string_view>

#include "core/canonical_json.h"
#include "core/utf8.h"

namespace candor::reg {
namespace {

constexpr int kMaxDepth = kMaxEntryDepth;

// A strict RFC 8259 scanner over valid UTF-8 text. Every method returns false on anything
// that is not JSON; `pos_` then means nothing.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool at_end() {
    space();
    return pos_ == text_.size();
  }
  // Consumes `ch` (after white space) if it is next.
  bool take(char ch) {
    space();
    if (pos_ < text_.size() && text_[pos_] == ch) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool next_is(char ch) {
    space();
    return pos_ < text_.size() && text_[pos_] == ch;
  }

  // A string, its decoded text appended to `out` (null: checked only).
  bool string(std::string* out) {
    if (!take('"')) return false;
    std::size_t run = pos_;
    while (pos_ < text_.size()) {
      const char ch = text_[pos_];
      if (ch == '"') {
        if (out != nullptr) out->append(text_.substr(run, pos_ - run));
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(ch) < 0x20) return false;
      if (ch != '\\') {
        ++pos_;
        continue;
      }
      if (out != nullptr) out->append(text_.substr(run, pos_ - run));
      if (!escape(out)) return false;
      run = pos_;
    }
    return false;
  }

  // Any value, checked and skipped.
  bool skip(int depth) {
    if (depth > kMaxDepth) return false;
    if (next_is('"')) return string(nullptr);
    if (take('{')) {
      if (take('}')) return true;
      do {
        if (!string(nullptr) || !take(':') || !skip(depth + 1)) return false;
      } while (take(','));
      return take('}');
    }
    if (take('[')) {
      if (take(']')) return true;
      do {
        if (!skip(depth + 1)) return false;
      } while (take(','));
      return take(']');
    }
    if (literal("true") || literal("false") || literal("null")) return true;
    return number();
  }

 private:
  void space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool digits() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool number() {
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return false;
    }
    return true;
  }

  bool hex4(std::uint32_t& value) {
    if (pos_ + 4 > text_.size()) return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const char ch = text_[pos_++];
      value <<= 4;
      if (ch >= '0' && ch <= '9') {
        value |= static_cast<std::uint32_t>(ch - '0');
      } else if (ch >= 'a' && ch <= 'f') {
        value |= static_cast<std::uint32_t>(ch - 'a' + 10);
      } else if (ch >= 'A' && ch <= 'F') {
        value |= static_cast<std::uint32_t>(ch - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  // After a backslash: one escape, decoded into `out`.
  bool escape(std::string* out) {
    ++pos_;
    if (pos_ >= text_.size()) return false;
    const char ch = text_[pos_++];
    char plain = 0;
    switch (ch) {
      case '"': plain = '"'; break;
      case '\\': plain = '\\'; break;
      case '/': plain = '/'; break;
      case 'b': plain = '\b'; break;
      case 'f': plain = '\f'; break;
      case 'n': plain = '\n'; break;
      case 'r': plain = '\r'; break;
      case 't': plain = '\t'; break;
      case 'u': return unicode(out);
      default: return false;
    }
    if (out != nullptr) out->push_back(plain);
    return true;
  }

  // \uXXXX, a surrogate pair as two escapes; a lone surrogate is not text.
  bool unicode(std::string* out) {
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (out == nullptr) return true;
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The entry's string members, by name. A member named twice counts as its last occurrence (as
// in the parsed document); one that is not a string reads as empty.
std::string* string_field(NewEntry& e, std::string_view name) {
  if (name == "entry_id") return &e.entry_id;
  if (name == "decision") return &e.decision;
  if (name == "decision_date") return &e.decision_date;
  if (name == "destination") return &e.destination;
  if (name == "end_user_type") return &e.end_user_type;
  if (name == "item_category") return &e.category;
  if (name == "exporter") return &e.exporter;
  if (name == "value_band") return &e.value_band;
  if (name == "corrects") return &e.corrects;
  if (name == "item_description") return &e.description;
  if (name == "destination_name") return &e.destination_name;
  return nullptr;
}

// control_entries: the array's strings joined by spaces (other elements skipped).
bool read_controls(Scanner& s, std::string& out) {
  out.clear();
  if (!s.take('[')) return s.skip(1);
  if (s.take(']')) return true;
  do {
    if (s.next_is('"')) {
      std::string item;
      if (!s.string(&item)) return false;
      if (!out.empty()) out += ' ';
      out += item;
    } else if (!s.skip(2)) {
      return false;
    }
  } while (s.take(','));
  return s.take(']');
}

// authority: the object's member_state (anything else reads as empty).
bool read_authority(Scanner& s, std::string& out) {
  out.clear();
  if (!s.take('{')) return s.skip(1);
  if (s.take('}')) return true;
  do {
    std::string name;
    if (!s.string(&name) || !s.take(':')) return false;
    if (name == "member_state") {
      out.clear();
      if (s.next_is('"')) {
        if (!s.string(&out)) return false;
        continue;
      }
    }
    if (!s.skip(2)) return false;
  } while (s.take(','));
  return s.take('}');
}

bool read_entry(Scanner& s, NewEntry& e) {
  if (!s.take('{')) return false;
  if (s.take('}')) return s.at_end();
  do {
    std::string name;
    if (!s.string(&name) || !s.take(':')) return false;
    if (std::string* field = string_field(e, name)) {
      field->clear();
      if (s.next_is('"')) {
        if (!s.string(field)) return false;
        continue;
      }
      if (!s.skip(1)) return false;
    } else if (name == "control_entries") {
      if (!read_controls(s, e.control_entries)) return false;
    } else if (name == "authority") {
      if (!read_authority(s, e.authority)) return false;
    } else if (!s.skip(1)) {
      return false;
    }
  } while (s.take(','));
  return s.take('}') && s.at_end();
}

}  // namespace

Result<NewEntry> fields_of(std::string leaf_input) {
  NewEntry out;
  Scanner scanner(leaf_input);
  if (leaf_input.size() > kMaxEntryBytes || !utf8::is_valid(leaf_input) ||
      !read_entry(scanner, out) || out.entry_id.empty()) {
    return Error::data_loss("a register entry is not a JSON object with an entry_id");
  }
  out.leaf_input = std::move(leaf_input);
  return out;
}

nlohmann::json parse_entry(std::string_view leaf_input) {
  auto parsed = json::parse_strict(
      leaf_input,
      {.max_bytes = kMaxEntryBytes, .max_depth = static_cast<std::size_t>(kMaxEntryDepth)});
  if (!parsed.ok()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return std::move(parsed).value();
}

}  // namespace candor::reg
