#include "core/iso_codes.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace candor::iso_codes {

std::string directory() {
  if (const char* dir = std::getenv("CANDOR_ISO_CODES_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return CANDOR_ISO_CODES_DIR;
}

Result<nlohmann::json> load_table(std::string_view file_name, std::string_view key) {
  const std::string path = directory() + "/" + std::string(file_name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::unavailable("cannot read ISO code data; install Debian's iso-codes package",
                              path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto doc = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains(key) || !doc[key].is_array()) {
    return Error::data_loss("ISO code data is not in the iso-codes JSON layout", path);
  }
  return std::move(doc[key]);
}

}  // namespace candor::iso_codes
