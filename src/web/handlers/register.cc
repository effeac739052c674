// The register's machine endpoints, exactly as RFC 9162 clients and `candor register verify`
// expect them (docs/register.md): the verifier key, the signed checkpoint, entries and proofs.
#include <charconv>

#include "register/fields.h"
#include "register/log.h"
#include "register/note.h"
#include "register/publish.h"
#include "web/handlers/app.h"
#include "web/respond.h"

namespace candor::web {
namespace {

constexpr std::uint64_t kMaxEntries = 1000;

Result<std::uint64_t> number(const httplib::Request& request, const char* name) {
  if (!request.has_param(name)) return Error::invalid_argument(std::string(name) + ": required");
  const std::string text = request.get_param_value(name);
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      value > (std::uint64_t{1} << 62)) {
    return Error::invalid_argument(std::string(name) + ": must be a whole number");
  }
  return value;
}

template <typename F>
void answer(const httplib::Request& request, httplib::Response& response, Context& context,
            F&& body) {
  if (context.register_key == nullptr) {
    respond_error(request, response, context,
                  Error::unavailable("the register has no signing key (candor admin keygen)"));
    return;
  }
  Result<nlohmann::json> result = body();
  if (!result.ok()) {
    respond_error(request, response, context, result.error());
    return;
  }
  response.set_header("Access-Control-Allow-Origin", "*");
  respond_json(response, 200, result.value());
}

nlohmann::json base64_list(const std::vector<reg::Hash>& path) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& hash : path) out.push_back(reg::base64(reg::to_bytes(hash)));
  return out;
}

}  // namespace

void get_register_key(const httplib::Request& request, httplib::Response& response,
                      Context& context) {
  if (context.register_key == nullptr) {
    respond_error(request, response, context,
                  Error::unavailable("the register has no signing key (candor admin keygen)"));
    return;
  }
  response.set_header("Access-Control-Allow-Origin", "*");
  response.set_content(context.register_key->verifier().to_string() + "\n",
                       "text/plain; charset=utf-8");
}

void get_register_checkpoint(const httplib::Request& request, httplib::Response& response,
                             Context& context) {
  if (context.register_key == nullptr) {
    respond_error(request, response, context,
                  Error::unavailable("the register has no signing key (candor admin keygen)"));
    return;
  }
  // Publishes decisions whose delay has passed, then signs the current tree when it grew
  // since the last checkpoint (once per size).
  if (auto published = reg::publish_due(context.db, context.log, context.clock.now());
      !published.ok()) {
    respond_error(request, response, context, published.error());
    return;
  }
  auto note = context.log.sign_checkpoint(*context.register_key, context.register_key->name);
  if (!note.ok()) {
    respond_error(request, response, context, note.error());
    return;
  }
  response.set_header("Access-Control-Allow-Origin", "*");
  response.set_header("Cache-Control", "no-cache");
  response.set_content(note.value(), "text/plain; charset=utf-8");
}

void get_register_entries(const httplib::Request& request, httplib::Response& response,
                          Context& context) {
  answer(request, response, context, [&]() -> Result<nlohmann::json> {
    const auto start = CANDOR_TRY(number(request, "start"));
    const auto end = CANDOR_TRY(number(request, "end"));
    if (end <= start) return Error::invalid_argument("end: must be greater than start");
    const auto entries = CANDOR_TRY(context.log.entries(start, end, kMaxEntries));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries) {
      nlohmann::json item = {{"index", e.index}, {"leaf_input", reg::base64(e.leaf_input)}};
      // An entry too deep to read is served as its bytes alone.
      if (auto entry = reg::parse_entry(e.leaf_input); !entry.is_discarded()) {
        item["entry"] = std::move(entry);
      }
      out.push_back(std::move(item));
    }
    return nlohmann::json{{"entries", out}};
  });
}

void get_register_inclusion(const httplib::Request& request, httplib::Response& response,
                            Context& context) {
  answer(request, response, context, [&]() -> Result<nlohmann::json> {
    const auto index = CANDOR_TRY(number(request, "index"));
    const auto size = CANDOR_TRY(number(request, "tree_size"));
    const auto path = CANDOR_TRY(context.log.inclusion_proof(index, size));
    return nlohmann::json{
        {"leaf_index", index}, {"tree_size", size}, {"inclusion_path", base64_list(path)}};
  });
}

void get_register_consistency(const httplib::Request& request, httplib::Response& response,
                              Context& context) {
  answer(request, response, context, [&]() -> Result<nlohmann::json> {
    const auto first = CANDOR_TRY(number(request, "first"));
    const auto second = CANDOR_TRY(number(request, "second"));
    const auto path = CANDOR_TRY(context.log.consistency_proof(first, second));
    return nlohmann::json{
        {"first", first}, {"second", second}, {"consistency_path", base64_list(path)}};
  });
}

}  // namespace candor::web
