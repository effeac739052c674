#include "core/files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace candor {

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error::invalid_argument("is a folder, not a file", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid_argument("cannot read the file", path);
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) {
    return Error::invalid_argument("file is larger than " + std::to_string(max_bytes) + " bytes",
                                   path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error::invalid_argument("error while reading the file", path);
  return std::move(buffer).str();
}

}  // namespace candor
