// A fresh folder per test under the system temporary folder, removed when the test ends.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace candor::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Runs `cleanup` when the folder is removed, newest first (say, to drop a PostgreSQL
  // database made for the same test).
  void on_removal(std::function<void()> cleanup) { cleanups_.push_back(std::move(cleanup)); }

 private:
  std::filesystem::path path_;
  std::vector<std::function<void()>> cleanups_;
};

}  // namespace candor::testing
