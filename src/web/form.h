// Form bodies (application/x-www-form-urlencoded) and cookies, read by Candor itself so that
// what a field holds never depends on the client library's parsing rules. Both parsers take
// any bytes and never fail: a malformed escape is kept as written.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace candor::web {

class Form {
 public:
  static Form parse(std::string_view body);

  // The first value of `name`, or "" when absent.
  std::string get(std::string_view name) const;
  // Every value of `name`, in order (checkbox groups).
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const;
  void add(std::string name, std::string value) {
    fields_.emplace(std::move(name), std::move(value));
  }

 private:
  std::multimap<std::string, std::string, std::less<>> fields_;
};

std::string url_decode(std::string_view text, bool plus_is_space);
std::string url_encode(std::string_view text);

// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace candor::web
