// Loading a list file in any supported format, named or recognised from its content.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "screening/entity.h"

namespace candor::screening {

enum class ListFormat { automatic, ofac_csv, ofac_xml, un_xml, eu_xml, ftm, csv };

// "auto", "ofac-csv", "ofac-xml", "un-xml", "eu-xml", "ftm", "csv".
Result<ListFormat> parse_list_format(std::string_view text);
std::string_view to_string(ListFormat format);

// What a file's first bytes say it is: XML by its root element, JSON lines, a CSV with a
// header naming `name` (plain CSV) or OFAC's header-less numbered rows.
Result<ListFormat> detect_list_format(std::string_view content);

// Reads and imports `path`. For OFAC CSV the alias and address files are found beside the
// main file by replacing "sdn" (or "prim") in its name with "alt" and "add"
// (ofac_sdn_2021.csv: ofac_alt_2021.csv, ofac_add_2021.csv); missing ones count as empty.
// Errors name the path and, within it, the line or offset.
Result<SanctionsList> load_list(const std::string& path, ListFormat format);

}  // namespace candor::screening
