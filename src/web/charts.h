// Charts drawn on the server as SVG, so the public statistics need no JavaScript: horizontal
// bar charts and a world map (Natural Earth boundaries from the npm package world-atlas,
// TopoJSON decoded here and drawn in the Natural Earth projection). Each chart is an image
// with a text alternative; the pages put the same figures in a table beside it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace candor::web {

struct Bar {
  std::string label;
  std::int64_t value = 0;
};

// `title` is the chart's accessible name.
std::string bar_chart_svg(const std::string& title, const std::vector<Bar>& bars);

// Countries shaded by value (ISO alpha-2 -> count), in five classes by powers of ten, with a
// legend. Countries the map data does not draw are left out of the map, not of the table.
std::string world_map_svg(const std::string& title,
                          const std::map<std::string, std::int64_t>& values);

// XML-escapes text for SVG and Atom.
std::string xml_escape(const std::string& text);

}  // namespace candor::web
