// What the XML importers (OFAC sdnList, UN consolidated list) share: loading a document with
// offset-bearing errors, reading trimmed child text, and adding a checked entity.
// Internal to screening.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "core/error.h"
#include "screening/entity.h"

namespace candor::screening {

// Parses `xml` into `doc` and returns its `root_name` element. Errors: invalid_argument with
// "offset N" for malformed XML, or naming the missing root element. A null root_name takes
// whatever the document element is.
Result<pugi::xml_node> load_xml_root(pugi::xml_document& doc, std::string_view xml,
                                     const char* root_name);

// The text of `node`'s child element, without surrounding white space.
std::string xml_text(const pugi::xml_node& node, const char* child);

// Appends `entity` read from `node`. Errors: invalid_argument at the node's offset when the
// entity has no id or no primary name (`what` names the element, e.g. "an sdnEntry").
Result<void> add_checked_entity(SanctionsList& list, Entity entity, const pugi::xml_node& node,
                                std::string_view what);

}  // namespace candor::screening
