#include "screening/load.h"

#include <array>
#include <filesystem>

#include "core/files.h"
#include "screening/importers.h"

namespace candor::screening {
namespace {

constexpr std::array<std::pair<ListFormat, std::string_view>, 7> kNames = {{
    {ListFormat::automatic, "auto"},
    {ListFormat::ofac_csv, "ofac-csv"},
    {ListFormat::ofac_xml, "ofac-xml"},
    {ListFormat::un_xml, "un-xml"},
    {ListFormat::eu_xml, "eu-xml"},
    {ListFormat::ftm, "ftm"},
    {ListFormat::csv, "csv"},
}};

std::string_view skip_preamble(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t')) {
    text.remove_prefix(1);
  }
  return text;
}

// The first element name after any declaration, comments or doctype.
std::string_view xml_root_name(std::string_view text) {
  std::size_t at = 0;
  while ((at = text.find('<', at)) != std::string_view::npos) {
    if (at + 1 < text.size() && (text[at + 1] == '?' || text[at + 1] == '!')) {
      ++at;
      continue;
    }
    std::size_t end = at + 1;
    while (end < text.size() && text[end] != ' ' && text[end] != '>' && text[end] != '/' &&
           text[end] != '\n' && text[end] != '\r' && text[end] != '\t') {
      ++end;
    }
    std::string_view name = text.substr(at + 1, end - at - 1);
    if (const auto colon = name.find(':'); colon != std::string_view::npos) {
      name.remove_prefix(colon + 1);
    }
    return name;
  }
  return {};
}

std::string sibling(const std::string& path, std::string_view kind) {
  const std::filesystem::path p(path);
  std::string file = p.filename().string();
  for (std::string_view from : {"sdn", "SDN", "prim", "PRIM"}) {
    const auto at = file.rfind(from);
    if (at == std::string::npos) continue;
    std::string replacement(kind);
    if (from.front() == 'S' || from.front() == 'P') {
      for (auto& ch : replacement) ch = static_cast<char>(ch - 'a' + 'A');
    }
    file.replace(at, from.size(), replacement);
    return (p.parent_path() / file).string();
  }
  return {};
}

Result<std::string> read_optional(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return std::string();
  return read_file(path);
}

}  // namespace

Result<ListFormat> parse_list_format(std::string_view text) {
  for (const auto& [format, name] : kNames) {
    if (name == text) return format;
  }
  return Error::invalid_argument(
      "format must be auto, ofac-csv, ofac-xml, un-xml, eu-xml, ftm or csv, not '" +
      std::string(text) + "'");
}

std::string_view to_string(ListFormat format) {
  for (const auto& [f, name] : kNames) {
    if (f == format) return name;
  }
  return "auto";
}

Result<ListFormat> detect_list_format(std::string_view content) {
  const std::string_view text = skip_preamble(content);
  if (text.empty()) return Error::invalid_argument("the file is empty");
  if (text.front() == '<') {
    const std::string_view root = xml_root_name(text);
    if (root == "sdnList") return ListFormat::ofac_xml;
    if (root == "CONSOLIDATED_LIST") return ListFormat::un_xml;
    if (root == "export") return ListFormat::eu_xml;
    return Error::invalid_argument("XML with root <" + std::string(root) +
                                   "> is no list format Candor knows; give --format");
  }
  if (text.front() == '{') return ListFormat::ftm;
  const std::string_view first_line = text.substr(0, text.find('\n'));
  // OFAC's legacy files have no header and start with the numeric ent_num.
  if (text.front() >= '0' && text.front() <= '9') return ListFormat::ofac_csv;
  std::string lower(first_line);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower.find("name") != std::string::npos) return ListFormat::csv;
  return Error::invalid_argument("cannot tell the list format from the content; give --format");
}

Result<SanctionsList> load_list(const std::string& path, ListFormat format) {
  auto imported = [&]() -> Result<SanctionsList> {
    const std::string content = CANDOR_TRY(read_file(path));
    if (format == ListFormat::automatic) format = CANDOR_TRY(detect_list_format(content));
    const std::string stem = std::filesystem::path(path).stem().string();
    switch (format) {
      case ListFormat::ofac_csv: {
        const std::string alt = CANDOR_TRY(read_optional(sibling(path, "alt")));
        const std::string add = CANDOR_TRY(read_optional(sibling(path, "add")));
        return import_ofac_csv(content, alt, add, "OFAC " + stem);
      }
      case ListFormat::ofac_xml: return import_ofac_xml(content, "OFAC " + stem);
      case ListFormat::un_xml: return import_un_xml(content);
      case ListFormat::eu_xml: return import_eu_xml(content);
      case ListFormat::ftm: return import_ftm(content, stem);
      case ListFormat::csv:
      case ListFormat::automatic: return import_plain_csv(content, stem);
    }
    return Error::invalid_argument("unknown format");
  }();
  if (!imported.ok()) return std::move(imported).error().within(path);
  return imported;
}

}  // namespace candor::screening
