#include "register/search.h"

#include <algorithm>
#include <cctype>

#include "core/country.h"

namespace candor::reg {
namespace {

bool plain(std::string_view text, std::size_t max, std::string_view extra) {
  return text.size() <= max && std::ranges::all_of(text, [&](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
                  extra.find(ch) != std::string_view::npos;
         });
}

}  // namespace

std::string search_key(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Result<Query> Query::from(const std::function<std::optional<std::string>(std::string_view)>& get) {
  Query q;
  const auto text = [&](std::string_view name) { return get(name).value_or(""); };
  if (const auto d = text("destination"); !d.empty()) {
    auto code = CountryCode::parse(d);
    if (!code.ok()) return Error::invalid_argument("destination: not an ISO 3166-1 country code");
    q.destination = std::string(code->alpha2());
  }
  q.control = text("control");
  if (!plain(q.control, 40, ".-")) {
    return Error::invalid_argument("control: not a control entry (letters, digits, '.', '-')");
  }
  q.decision = text("decision");
  if (!plain(q.decision, 40, "_")) return Error::invalid_argument("decision: not a decision");
  if (const auto y = text("year"); !y.empty()) {
    const bool digits = std::all_of(y.begin(), y.end(), [](char ch) {
      return std::isdigit(static_cast<unsigned char>(ch)) != 0;
    });
    if (y.size() != 4 || !digits)
      return Error::invalid_argument("year: must be a year such as 2014");
    q.year = std::stoll(y);
  }
  q.authority = text("authority");
  if (!plain(q.authority, 8, "")) return Error::invalid_argument("authority: not a member state");
  q.exporter = search_key(text("exporter"));
  if (q.exporter.size() > 200) return Error::invalid_argument("exporter: at most 200 characters");
  q.end_user_type = text("end_user_type");
  if (!plain(q.end_user_type, 40, "_")) {
    return Error::invalid_argument("end_user_type: not an end-user type");
  }
  q.category = text("category");
  if (!plain(q.category, 60, "_-")) return Error::invalid_argument("category: not a category");
  return q;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0 || ch == '-' || ch == '_' || ch == '.') {
      out += ch;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string Query::to_params() const {
  std::string out;
  const auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += percent_encode(value);
  };
  add("destination", destination);
  add("control", control);
  add("decision", decision);
  add("year", year == 0 ? "" : std::to_string(year));
  add("authority", authority);
  add("exporter", exporter);
  add("end_user_type", end_user_type);
  add("category", category);
  return out;
}

}  // namespace candor::reg
