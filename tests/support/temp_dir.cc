#include "support/temp_dir.h"

#include <stdlib.h>

#include <stdexcept>

namespace candor::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "candor-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it) (*it)();
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);  // Only the folder this object made.
}

}  // namespace candor::testing
