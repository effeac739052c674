// A strict reader of CSV (RFC 4180) from untrusted files: lists, queries, decisions. Quoted
// fields may hold commas, doubled quotes and line breaks; CRLF and LF both end a record. Errors
// name the line, so a malformed file is reported, not half-read.
//
// Not thread-safe; the text must outlive the reader.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace candor::csv {

class Reader {
 public:
  explicit Reader(std::string_view text, char delimiter = ',')
      : text_(text), delimiter_(delimiter) {}

  // Reads the next record into `fields`. Returns false at the end of the text.
  // Errors: invalid_argument "line N: ..." for an unterminated quote or text after a
  // closing quote.
  Result<bool> next(std::vector<std::string>& fields);

  // The line on which the last record returned started (1-based).
  std::size_t line() const { return record_line_; }

 private:
  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
};

// The index of each column name in a header record, for reading by name.
class Header {
 public:
  explicit Header(const std::vector<std::string>& names);
  // -1 when the column is absent. Names compare case-insensitively, ignoring surrounding
  // spaces and a UTF-8 byte-order mark.
  int index(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }
  // The record's field in column `name`; empty when the column or the field is absent.
  std::string value(const std::vector<std::string>& fields, std::string_view name) const;

 private:
  std::vector<std::string> names_;
};

// Reads the header record and checks that it names every required column. Errors
// (invalid_argument, "line 1"): an empty file, a missing column, a malformed record.
Result<Header> read_header(Reader& reader, std::initializer_list<std::string_view> required);
Result<Header> read_header(Reader& reader, std::span<const std::string_view> required);

// One record as CSV text ending in "\n"; fields with the delimiter, quotes or line breaks
// are quoted. Reader reads it back unchanged.
std::string format_record(const std::vector<std::string>& fields, char delimiter = ',');

// As format_record, for files people open in a spreadsheet: a field that starts with =, +, -,
// @, a tab or a carriage return is written with a leading apostrophe, so that Excel or
// LibreOffice shows it as text instead of running it as a formula (CSV injection). Use it for
// every download whose fields hold text from outside.
std::string format_spreadsheet_record(const std::vector<std::string>& fields);

}  // namespace candor::csv
