#include "core/csv.h"

#include <gtest/gtest.h>

namespace candor::csv {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text) {
  Reader reader(text);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  for (;;) {
    auto more = reader.next(fields);
    EXPECT_TRUE(more.ok()) << more.error().to_string();
    if (!more.ok() || !more.value()) break;
    records.push_back(fields);
  }
  return records;
}

using Records = std::vector<std::vector<std::string>>;

// Rule: RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes.
TEST(CsvReader, ReadsQuotedFields) {
  EXPECT_EQ(read_all("a,\"b,c\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\n"),
            (Records{{"a", "b,c", "say \"hi\""}, {"multi\nline", "x"}}));
}

// Rule: LF, CRLF and a missing final newline all end a record; empty fields are kept.
TEST(CsvReader, AcceptsLineEndingsAndEmptyFields) {
  EXPECT_EQ(read_all("a,,c\r\n,\r\nlast"), (Records{{"a", "", "c"}, {"", ""}, {"last"}}));
}

// Rule: OFAC writes `"NAME" ,` with spaces after the closing quote; they are dropped.
TEST(CsvReader, IgnoresSpacesAfterAClosingQuote) {
  EXPECT_EQ(read_all("36,\"AEROCARIBBEAN AIRLINES\" ,-0- \n"),
            (Records{{"36", "AEROCARIBBEAN AIRLINES", "-0- "}}));
}

TEST(CsvReader, ReportsTheLineOfAnUnclosedQuote) {
  Reader reader("ok,1\nstill,ok\n\"never closed,\nmore\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields).value());
  ASSERT_TRUE(reader.next(fields).value());
  auto bad = reader.next(fields);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context(), "line 3");
}

TEST(CsvReader, RefusesTextAfterAClosingQuote) {
  Reader reader("\"a\"b,c\n");
  std::vector<std::string> fields;
  auto bad = reader.next(fields);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context(), "line 1");
}

TEST(CsvReader, ReadsOtherDelimitersAndTracksLines) {
  Reader reader("name\tcountry\nA\tIR\n\"B\nC\"\tKP\nD\tCU\n", '\t');
  std::vector<std::string> fields;
  std::vector<std::size_t> lines;
  while (reader.next(fields).value()) lines.push_back(reader.line());
  EXPECT_EQ(lines, (std::vector<std::size_t>{1, 2, 3, 5}));
}

TEST(CsvHeader, FindsColumnsByName) {
  Header header(
      {"\xEF\xBB\xBF"
       "Full_Name",
       " date_of_birth ", "nationality"});
  EXPECT_EQ(header.index("full_name"), 0);
  EXPECT_EQ(header.index("DATE_OF_BIRTH"), 1);
  EXPECT_EQ(header.index("schema"), -1);
}

TEST(Csv, RegressionSpreadsheetRecordsNeutraliseFormulas) {
  EXPECT_EQ(format_spreadsheet_record(
                {"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "plain", "a=b", ""}),
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),'\tx,plain,a=b,\n");
  const std::string text = format_spreadsheet_record({"=1+1"});
  Reader reader(text);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields).value());
  EXPECT_EQ(fields, (std::vector<std::string>{"'=1+1"}));
}

}  // namespace
}  // namespace candor::csv
