// The real public data in ../shared/data (or $CANDOR_SHARED_DATA). A user's fresh clone does
// not have it, so tests that need it skip with a message; CI always has it.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace candor::testing {

inline std::string shared_data_dir() {
  if (const char* dir = std::getenv("CANDOR_SHARED_DATA"); dir != nullptr && *dir != '\0')
    return dir;
  return std::string(CANDOR_SOURCE_DIR) + "/../shared/data";
}

// The contents of shared/data/<relative>, or nullopt when it is absent.
inline std::optional<std::string> read_shared(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path(shared_data_dir()) / relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace candor::testing

// Reads a shared data file into `var`, or skips the test saying which file is missing.
#define CANDOR_READ_SHARED_OR_SKIP(var, relative)                                               \
  const auto var##_optional = ::candor::testing::read_shared(relative);                         \
  if (!var##_optional) {                                                                        \
    GTEST_SKIP() << "real data not found: " << ::candor::testing::shared_data_dir() << "/"      \
                 << (relative) << " (set CANDOR_SHARED_DATA or place shared/ beside the repo)"; \
  }                                                                                             \
  const std::string& var = *var##_optional
