#include "core/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

Result<void> write_private_file(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Error::conflict("the file exists already", path);
    return Error::unavailable(std::string("cannot create the file: ") + std::strerror(errno), path);
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return Error::unavailable("cannot write the file: " + why, path);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Error::unavailable(std::string("cannot write the file: ") + std::strerror(errno), path);
  }
  return {};
}

Result<void> create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return Error::unavailable(std::string("cannot create the file: ") + std::strerror(errno), path);
  }
  ::close(fd);
  return {};
}

}  // namespace candor
