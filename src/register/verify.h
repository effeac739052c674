// Verifying a register from outside, as `candor register verify` does for a journalist or a
// monitoring NGO: the checkpoint's signature, its consistency with the checkpoint verified
// last time, and (full) every entry hashed again into the root. Only what the register serves
// is trusted after it is checked; the parsers of its answers take any bytes (fuzzed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "register/note.h"

namespace candor::reg {

// The register's endpoints. get() returns the body of a 200 answer; errors (unavailable) for
// anything else: the verifier could not ask, which is not a failed verification.
class Remote {
 public:
  virtual ~Remote() = default;
  virtual Result<std::string> get(const std::string& path_and_query) = 0;
};

// {"entries": [{"index", "leaf_input" (base64), "entry"}]} -> (index, leaf bytes). Errors:
// failed_precondition saying what is malformed, including an "entry" that is not the JSON
// of the bytes hashed.
Result<std::vector<std::pair<std::uint64_t, std::string>>> parse_entries(std::string_view body);
// The base64 hashes under `field` ("inclusion_path", "consistency_path"), checking that the
// answer echoes the numbers asked (`echo`: field name and value pairs).
Result<std::vector<std::string>> parse_proof(
    std::string_view body, std::string_view field,
    const std::vector<std::pair<std::string, std::uint64_t>>& echo);

struct VerifyState {
  std::string key;         // Verifier key text.
  std::string checkpoint;  // The last verified signed note.
  std::string verified_at;
  // Errors: invalid_argument when the file's text is not a state this program wrote.
  static Result<VerifyState> parse(std::string_view text);
  std::string to_json() const;
};

struct VerifyRequest {
  std::optional<std::string> key;  // Given by the user; else the state's; else fetched.
  std::optional<VerifyState> previous;
  bool full = false;
};

struct Verdict {
  bool ok = false;
  std::vector<std::string> checked;  // What held, one line each.
  std::string failure;               // What did not, when !ok.
  Checkpoint checkpoint;             // The checkpoint seen (when it could be read).
  VerifyState next;                  // To keep when ok.
};

// Errors only when the register could not be asked; a register that answers wrongly is a
// Verdict with ok == false.
Result<Verdict> verify_register(Remote& remote, const VerifyRequest& request,
                                const std::string& now);

}  // namespace candor::reg
