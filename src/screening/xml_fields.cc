#include "screening/xml_fields.h"

#include "screening/fields.h"

namespace candor::screening {

Result<pugi::xml_node> load_xml_root(pugi::xml_document& doc, std::string_view xml,
                                     const char* root_name) {
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Error::invalid_argument(std::string("malformed XML: ") + parsed.description(),
                                   "offset " + std::to_string(parsed.offset));
  }
  pugi::xml_node root = root_name == nullptr ? doc.document_element() : doc.child(root_name);
  if (!root && root_name == nullptr) return Error::invalid_argument("the XML has no element");
  if (!root) {
    return Error::invalid_argument(std::string("no ") + root_name +
                                   " element: not the list format that was asked for");
  }
  return root;
}

std::string xml_text(const pugi::xml_node& node, const char* child) {
  return std::string(trim_space(node.child_value(child)));
}

Result<void> add_checked_entity(SanctionsList& list, Entity entity, const pugi::xml_node& node,
                                std::string_view what) {
  if (entity.entity_id.empty() || entity.names.empty() || entity.names[0].text.empty()) {
    return Error::invalid_argument(std::string(what) + " lacks its id or name",
                                   "offset " + std::to_string(node.offset_debug()));
  }
  list.entities.push_back(std::move(entity));
  return {};
}

}  // namespace candor::screening
