#include "core/csv.h"

#include <cctype>

namespace candor::csv {
namespace {

std::string normalise_name(std::string_view name) {
  if (name.starts_with("\xEF\xBB\xBF")) name.remove_prefix(3);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())) != 0) {
    name.remove_prefix(1);
  }
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())) != 0) {
    name.remove_suffix(1);
  }
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<bool> Reader::next(std::vector<std::string>& fields) {
  fields.clear();
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  std::string field;
  bool quoted = false;      // Inside a quoted field.
  bool was_quoted = false;  // The current field was quoted and has closed.
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (quoted) {
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
        } else {
          quoted = false;
          was_quoted = true;
        }
      } else {
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == delimiter_) {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      fields.push_back(std::move(field));
      return true;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
    } else if (was_quoted) {
      if (c == ' ' || c == '\t') continue;  // Spaces after a closing quote, as OFAC writes.
      return Error::invalid_argument("text after a closing quote", "line " + std::to_string(line_));
    } else {
      field.push_back(c);
    }
  }
  if (quoted) {
    return Error::invalid_argument("a quoted field is never closed",
                                   "line " + std::to_string(record_line_));
  }
  fields.push_back(std::move(field));
  return true;
}

Header::Header(const std::vector<std::string>& names) {
  for (const auto& n : names) names_.push_back(normalise_name(n));
}

int Header::index(std::string_view name) const {
  const std::string wanted = normalise_name(name);
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == wanted) return static_cast<int>(i);
  }
  return -1;
}

std::string format_record(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(delimiter);
    const std::string& field = fields[i];
    const bool quote = field.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos;
    if (!quote) {
      out += field;
      continue;
    }
    out.push_back('"');
    for (char c : field) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('\n');
  return out;
}

std::string format_spreadsheet_record(const std::vector<std::string>& fields) {
  std::vector<std::string> safe;
  safe.reserve(fields.size());
  for (const auto& field : fields) {
    const bool formula =
        !field.empty() && std::string_view("=+-@\t\r").find(field[0]) != std::string_view::npos;
    safe.push_back(formula ? "'" + field : field);
  }
  return format_record(safe);
}

std::string Header::value(const std::vector<std::string>& fields, std::string_view name) const {
  const int i = index(name);
  return i >= 0 && static_cast<std::size_t>(i) < fields.size() ? fields[static_cast<std::size_t>(i)]
                                                               : std::string();
}

Result<Header> read_header(Reader& reader, std::span<const std::string_view> required) {
  std::vector<std::string> fields;
  auto has_header = reader.next(fields);
  if (!has_header.ok()) return std::move(has_header).error();
  if (!has_header.value()) return Error::invalid_argument("the file is empty", "line 1");
  Header header(fields);
  for (const auto column : required) {
    if (header.index(column) < 0) {
      return Error::invalid_argument("the header has no " + std::string(column) + " column",
                                     "line 1");
    }
  }
  return header;
}

Result<Header> read_header(Reader& reader, std::initializer_list<std::string_view> required) {
  return read_header(reader, std::span<const std::string_view>(required.begin(), required.size()));
}

}  // namespace candor::csv
