// Authorities working together (Art. 16 Regulation (EU) 2021/821): each member state's
// authority runs its own Candor, and they tell each other about denials, consult before
// granting what another denied, and notify a grant made anyway. Messages are JSON signed with
// the sending authority's Ed25519 key (docs/exchange.md):
//
//   {"message": {"id", "kind", "from", "to", "sent_at", "body"},
//    "signature": base64(4-byte key id || Ed25519 signature)}
//
// The signature covers "candor-exchange/v1\n" + RFC 8785 JSON of the message + "\n", signed
// as a C2SP signed note by the key named in the peers' configuration, so no other text signed
// by the same key (a register checkpoint) can pass for a message.
//
// A message to send is written to the outbox in the transaction of the decision that causes
// it, and sent until the recipient acknowledges it, with backoff while the recipient is down.
// A message received is checked, stored once (by sender and id), acted on in one transaction,
// and only then acknowledged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/accounts.h"
#include "register/note.h"
#include "store/database.h"

namespace candor::licensing {

// Where a Candor takes messages from its peers.
inline constexpr std::string_view kExchangePath = "/api/v1/exchange/messages";

struct Peer {
  std::string member_state;  // ISO 3166 alpha-2, upper case ("FR"), or "EU" for the Commission.
  std::string name;
  std::string url;  // The base URL of its Candor: "https://export-control.example.fr".
  reg::VerifierKey key;
};

// The exchange file as written (docs/exchange.md); `key_file` is still to be read.
struct ExchangeFile {
  std::string member_state;
  std::string name;
  std::string key_file;  // Relative to the file's folder unless absolute.
  std::vector<Peer> peers;
};
// Errors: invalid_argument naming the field that is wrong.
Result<ExchangeFile> parse_exchange_file(std::string_view text);

struct ExchangeConfig {
  std::string member_state;
  std::string name;
  reg::SignerKey key;
  std::vector<Peer> peers;

  const Peer* peer(std::string_view member_state) const;
  // Reads an exchange file and the private key it names. Errors: invalid_argument or
  // not_found, with the file's path.
  static Result<ExchangeConfig> load(const std::string& path);
};

// Two capital ASCII letters: an ISO 3166 alpha-2 code, or "EU" for the Commission.
bool member_state_code(std::string_view text);

enum class MessageKind {
  denial,                // A refusal or revocation, to every peer.
  denial_withdrawn,      // The denial was annulled: it no longer counts.
  consultation_request,  // To the authority whose denial an application matches.
  consultation_reply,    // Its answer.
  grant_notice,          // A grant despite matching denials, with the reasons, to every peer.
};
std::string_view to_string(MessageKind kind);
std::optional<MessageKind> message_kind_from_string(std::string_view text);

struct Message {
  std::string id;  // Unique for its sender: "DE-" and 32 hex digits.
  MessageKind kind = MessageKind::denial;
  std::string from;
  std::string to;
  std::string sent_at;  // RFC 3339.
  nlohmann::json body = nlohmann::json::object();

  nlohmann::json to_json() const;
};

// The envelope's text. Errors: invalid_argument when the body cannot be canonical JSON.
Result<std::string> seal(const Message& message, const reg::SignerKey& key);

// Checks an envelope received by the authority of `config`: well formed, from a configured
// peer, signed by that peer's key, addressed to this authority, and its body of the shape
// its kind requires. Errors: invalid_argument for a malformed envelope or body (saying what
// is wrong), unauthenticated for an unknown sender or a signature that does not verify.
Result<Message> open_envelope(std::string_view envelope, const ExchangeConfig& config);

// Sends envelopes to peers (HTTP in the web module; a fake in tests).
struct PostAnswer {
  int status = 0;
  std::string body;
};
class Transport {
 public:
  virtual ~Transport() = default;
  // Errors: unavailable when the peer could not be reached.
  virtual Result<PostAnswer> post(const Peer& peer, const std::string& envelope) = 0;
};

struct DeliveryPolicy {
  std::int64_t first_retry_us = 1'000'000;  // Doubles after each failure...
  std::int64_t max_retry_us = 300'000'000;  // ...up to five minutes.
  std::size_t batch = 32;                   // Messages sent per round.
};

struct DeliveryRound {
  std::size_t delivered = 0;
  std::size_t failed = 0;
  // When the next undelivered message is due (Unix microseconds), if any.
  std::optional<std::int64_t> next_due_us;
};

class Exchange {
 public:
  // REQUIRES: all outlive the service.
  Exchange(store::Database& db, const Clock& clock, const ExchangeConfig& config,
           DeliveryPolicy policy = {});

  const ExchangeConfig& config() const { return config_; }

  // Writes this authority's member state and name into the settings the register entries
  // are made from.
  Result<void> record_identity();

  // Takes an envelope from a peer. Returns {"acknowledged": id, "duplicate": bool} once the
  // message is stored and acted on. Errors: as open_envelope; conflict for a reply to a
  // consultation this authority never asked.
  Result<nlohmann::json> receive(std::string_view envelope);

  // Sends the messages that are due. Several processes may run this on one database: each
  // message is claimed before it is sent (a message sent twice is stored once anyway).
  Result<DeliveryRound> deliver_due(Transport& transport);

  // What the exchange page and GET /api/v1/exchange show: peers and delivery, consultations
  // both ways, denials, and grants notified by others. Officers only.
  Result<nlohmann::json> overview(const User& actor);

  // An officer answers another authority's consultation on one of this authority's denials.
  // `position`: "denial_maintained" or "no_objection".
  Result<void> answer_consultation(const User& actor, std::int64_t id, const std::string& position,
                                   const std::string& answer);

 private:
  store::Database& db_;
  const Clock& clock_;
  const ExchangeConfig& config_;
  DeliveryPolicy policy_;
};

}  // namespace candor::licensing
