// Form bodies and Cookie headers as browsers (or attackers) send them, and the error-field
// mapping the pages link from.
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "web/case_input.h"
#include "web/form.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const web::Form form = web::Form::parse(text);
  (void)form.get("csrf_token");
  (void)form.all("criteria");
  (void)web::cookie_value(text, "candor_session");
  const std::string decoded = web::url_decode(text, true);
  if (web::url_decode(web::url_encode(decoded), false) != decoded) __builtin_trap();
  (void)web::error_field(Error::invalid_argument(std::string(text)));
  return 0;
}
