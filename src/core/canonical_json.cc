#include "core/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <vector>

#include "core/utf8.h"

namespace candor::json {
namespace {

// Appends the UTF-16 code units of `text` (valid UTF-8), the order RFC 8785 sorts names by.
std::u16string utf16_units(std::string_view text) {
  std::u16string units;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = utf8::decode(text, pos);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      units.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      units.push_back(static_cast<char16_t>(cp));
    }
  }
  return units;
}

// Where a value sits ("$.parties[2].name"), spelled out only for an error: building it for
// every value cost as much as the rest of the serialisation.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;  // A member's name, or empty for an array element.
  std::size_t index = 0;  // An array element's position.
  bool element = false;

  std::string to_string() const {
    std::string out = parent == nullptr ? "$" : parent->to_string();
    if (parent == nullptr) return out;
    if (element) return out + "[" + std::to_string(index) + "]";
    out += '.';
    out += name;
    return out;
  }
};

bool plain_char(char c) { return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\'; }

Result<void> write_string(std::string_view text, const Path& path, std::string& out) {
  if (auto bad = utf8::first_invalid(text)) {
    return Error::invalid_argument("invalid UTF-8 at byte " + std::to_string(*bad),
                                   path.to_string());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // Start of the characters copied as they are.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (plain_char(c)) continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xF]);
          out.push_back(kHex[c & 0xF]);
        }
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
  return {};
}

// ECMAScript Number::toString for a finite double, as RFC 8785 section 3.2.2.3 requires.
void write_double(double value, std::string& out) {
  if (value == 0) {
    out += '0';  // Also for -0.
    return;
  }
  char buffer[32];
  // Shortest round-trip digits in the form "d.ddde+XX".
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  const auto e_pos = sci.find('e');
  std::string digits;
  for (const char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // value = 0.digits * 10^n
  if (negative) out.push_back('-');
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
}

Result<void> write_value(const nlohmann::json& value, const Path& path, std::string& out);

// RFC 8785 reads every number as an IEEE double. An integer is written as that double would
// be, and refused when the double would change its digits (|n| > 2^53 and not representable).
Result<void> write_integer(const std::string& decimal, double as_double, const Path& path,
                           std::string& out) {
  std::string written;
  write_double(as_double, written);
  if (written != decimal) {
    return Error::invalid_argument(
        "integer " + decimal + " cannot be canonical: as an IEEE double it becomes " + written,
        path.to_string());
  }
  out += written;
  return {};
}

// Whether UTF-16 order (RFC 8785's) may differ from UTF-8 byte order (nlohmann's std::map):
// only between characters from U+E000 up (lead bytes 0xEE and above).
bool may_sort_differently(std::string_view name) {
  return std::ranges::any_of(name, [](char c) { return static_cast<unsigned char>(c) >= 0xEE; });
}

Result<void> write_object(const nlohmann::json& value, const Path& path, std::string& out) {
  struct Member {
    std::u16string sort_key;
    const std::string* name;
    const nlohmann::json* value;
  };
  std::vector<Member> members;
  members.reserve(value.size());
  bool resort = false;
  for (const auto& [name, member] : value.items()) {
    if (auto bad = utf8::first_invalid(name)) {
      return Error::invalid_argument(
          "invalid UTF-8 in a member name at byte " + std::to_string(*bad), path.to_string());
    }
    resort = resort || may_sort_differently(name);
    members.push_back({{}, &name, &member});
  }
  if (resort) {
    for (auto& m : members) m.sort_key = utf16_units(*m.name);
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return a.sort_key < b.sort_key; });
  }
  out.push_back('{');
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out.push_back(',');
    CANDOR_TRY(write_string(*members[i].name, path, out));
    out.push_back(':');
    const Path inner{.parent = &path, .name = *members[i].name};
    CANDOR_TRY(write_value(*members[i].value, inner, out));
  }
  out.push_back('}');
  return {};
}

Result<void> write_value(const nlohmann::json& value, const Path& path, std::string& out) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null: out += "null"; return {};
    case Type::boolean: out += value.get<bool>() ? "true" : "false"; return {};
    case Type::string: return write_string(value.get_ref<const std::string&>(), path, out);
    case Type::number_integer:
      return write_integer(std::to_string(value.get<std::int64_t>()),
                           static_cast<double>(value.get<std::int64_t>()), path, out);
    case Type::number_unsigned:
      return write_integer(std::to_string(value.get<std::uint64_t>()),
                           static_cast<double>(value.get<std::uint64_t>()), path, out);
    case Type::number_float: {
      const double d = value.get<double>();
      if (!std::isfinite(d)) {
        return Error::invalid_argument("NaN and infinity are not JSON", path.to_string());
      }
      write_double(d, out);
      return {};
    }
    case Type::array: {
      out.push_back('[');
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out.push_back(',');
        const Path inner{.parent = &path, .index = i, .element = true};
        CANDOR_TRY(write_value(value[i], inner, out));
      }
      out.push_back(']');
      return {};
    }
    case Type::object: return write_object(value, path, out);
    case Type::binary:
    case Type::discarded: break;
  }
  return Error::invalid_argument("value has no JSON form", path.to_string());
}

}  // namespace

Result<void> append_string(std::string_view text, std::string& out) {
  return write_string(text, Path{}, out);
}

Result<std::string> canonical(const nlohmann::json& value) {
  std::string out;
  CANDOR_TRY(write_value(value, Path{}, out));
  return out;
}

Result<nlohmann::json> parse_strict(std::string_view text, ParseLimits limits) {
  if (text.size() > limits.max_bytes) {
    return Error(ErrorKind::resource_exhausted, "JSON text of " + std::to_string(text.size()) +
                                                    " bytes exceeds the limit of " +
                                                    std::to_string(limits.max_bytes));
  }
  if (auto bad = utf8::first_invalid(text)) {
    return Error::invalid_argument("invalid UTF-8 at byte " + std::to_string(*bad));
  }
  // One set of member names per open object, to find duplicates that nlohmann would
  // otherwise silently collapse to the last one.
  std::vector<std::set<std::string>> open_objects;
  std::string problem;
  const auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (!problem.empty()) return false;
    if (static_cast<std::size_t>(depth) > limits.max_depth) {
      problem = "nesting deeper than " + std::to_string(limits.max_depth) + " levels";
      return false;
    }
    if (event == Event::object_start) open_objects.emplace_back();
    if (event == Event::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == Event::key && !open_objects.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second) {
      problem = "duplicate member name '" + parsed.get<std::string>() + "'";
      return false;
    }
    return true;
  };
  nlohmann::json result;
  try {
    result = nlohmann::json::parse(text.begin(), text.end(), check);
  } catch (const nlohmann::json::parse_error& e) {
    return Error::invalid_argument("malformed JSON at byte " + std::to_string(e.byte) + ": " +
                                   e.what());
  } catch (const nlohmann::json::exception& e) {
    // Numbers too large for a double come here as out_of_range, not as a parse_error.
    return Error::invalid_argument(std::string("rejected JSON: ") + e.what());
  }
  if (!problem.empty()) return Error::invalid_argument("rejected JSON: " + problem);
  if (result.is_discarded()) return Error::invalid_argument("malformed JSON");
  return result;
}

}  // namespace candor::json
