// The message layer of the exchange between authorities: the exchange file, sealing and
// opening envelopes, and the shape of each kind's body. What is done with a message is in
// exchange_service.cc.
#include "licensing/exchange.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/canonical_json.h"
#include "core/files.h"
#include "licensing/exchange_store.h"

namespace candor::licensing {
namespace {

constexpr std::string_view kSignedPrefix = "candor-exchange/v1\n";
constexpr std::size_t kMaxEnvelopeBytes = std::size_t{256} * 1024;

using json = nlohmann::json;

const std::pair<MessageKind, std::string_view> kKinds[] = {
    {MessageKind::denial, "denial"},
    {MessageKind::denial_withdrawn, "denial_withdrawn"},
    {MessageKind::consultation_request, "consultation_request"},
    {MessageKind::consultation_reply, "consultation_reply"},
    {MessageKind::grant_notice, "grant_notice"},
};

Error bad(std::string what) { return Error::invalid_argument(std::move(what)); }

Result<std::string> text_field(const json& object, const std::string& path, const char* key,
                               std::size_t max, bool required = true) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) return bad(path + key + ": missing");
    return std::string();
  }
  if (!it->is_string()) return bad(path + key + ": not a string");
  auto text = it->get<std::string>();
  if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return bad(path + key + ": empty");
  }
  if (text.size() > max) return bad(path + key + ": longer than " + std::to_string(max) + " bytes");
  return text;
}

bool date_text(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  constexpr std::size_t kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9};
  return std::ranges::all_of(kDigits, [&](std::size_t i) {
    return std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  });
}

Result<void> code_list(const json& object, const std::string& path, const char* key,
                       std::size_t max_items, bool required) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) return bad(path + key + ": missing");
    return {};
  }
  if (!it->is_array()) return bad(path + key + ": not a list");
  if (it->size() > max_items) {
    return bad(path + key + ": more than " + std::to_string(max_items) + " items");
  }
  if (required && it->empty()) return bad(path + key + ": empty");
  for (const auto& item : *it) {
    if (!item.is_string() || item.get<std::string>().empty() || item.get<std::string>().size() > 64)
      return bad(path + key + ": each item is a short non-empty string");
  }
  return {};
}

Result<void> party_field(const json& object, const std::string& path, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return bad(path + key + ": not an object");
  const std::string inner = path + key + ".";
  CANDOR_TRY(text_field(*it, inner, "name", 500));
  const auto country = CANDOR_TRY(text_field(*it, inner, "country", 2, false));
  if (!country.empty() && !member_state_code(country)) {
    return bad(inner + "country: not an ISO alpha-2 code");
  }
  return {};
}

Result<void> date_field(const json& object, const std::string& path, const char* key) {
  const auto text = CANDOR_TRY(text_field(object, path, key, 10));
  if (!date_text(text)) return bad(path + key + ": not a date (YYYY-MM-DD)");
  return {};
}

Result<void> check_body(MessageKind kind, const json& body) {
  const std::string p = "message.body.";
  if (!body.is_object()) return bad("message.body: not an object");
  switch (kind) {
    case MessageKind::denial:
      CANDOR_TRY(text_field(body, p, "reference", 120));
      CANDOR_TRY(text_field(body, p, "decision", 40));
      CANDOR_TRY(date_field(body, p, "denied_on"));
      CANDOR_TRY(date_field(body, p, "valid_until"));
      if (!member_state_code(CANDOR_TRY(text_field(body, p, "destination", 2)))) {
        return bad(p + "destination: not an ISO alpha-2 code");
      }
      CANDOR_TRY(code_list(body, p, "control_entries", 32, true));
      CANDOR_TRY(party_field(body, p, "end_user"));
      CANDOR_TRY(text_field(body, p, "end_use", 4000, false));
      CANDOR_TRY(code_list(body, p, "criteria", 16, false));
      CANDOR_TRY(text_field(body, p, "reasons", 20000, false));
      return {};
    case MessageKind::denial_withdrawn:
      CANDOR_TRY(text_field(body, p, "reference", 120));
      CANDOR_TRY(text_field(body, p, "reason", 20000));
      return {};
    case MessageKind::consultation_request: {
      CANDOR_TRY(text_field(body, p, "denial_reference", 120));
      CANDOR_TRY(text_field(body, p, "question", 20000, false));
      const auto it = body.find("case");
      if (it == body.end() || !it->is_object()) return bad(p + "case: not an object");
      const std::string c = p + "case.";
      CANDOR_TRY(text_field(*it, c, "reference", 120));
      if (!member_state_code(CANDOR_TRY(text_field(*it, c, "destination", 2)))) {
        return bad(c + "destination: not an ISO alpha-2 code");
      }
      CANDOR_TRY(code_list(*it, c, "control_entries", 32, false));
      CANDOR_TRY(text_field(*it, c, "end_use", 4000, false));
      const auto users = it->find("end_users");
      if (users == it->end() || !users->is_array() || users->size() > 16) {
        return bad(c + "end_users: not a list of at most 16");
      }
      for (const auto& user : *users) {
        if (!user.is_object()) return bad(c + "end_users: each is an object");
        CANDOR_TRY(text_field(user, c + "end_users[].", "name", 500));
      }
      return {};
    }
    case MessageKind::consultation_reply: {
      CANDOR_TRY(text_field(body, p, "request", 80));
      CANDOR_TRY(text_field(body, p, "denial_reference", 120));
      const auto position = CANDOR_TRY(text_field(body, p, "position", 40));
      if (position != "denial_maintained" && position != "no_objection") {
        return bad(p + "position: denial_maintained or no_objection");
      }
      CANDOR_TRY(text_field(body, p, "answer", 20000));
      return {};
    }
    case MessageKind::grant_notice: {
      CANDOR_TRY(text_field(body, p, "reference", 120));
      CANDOR_TRY(text_field(body, p, "licence_number", 60, false));
      CANDOR_TRY(date_field(body, p, "granted_on"));
      if (!member_state_code(CANDOR_TRY(text_field(body, p, "destination", 2)))) {
        return bad(p + "destination: not an ISO alpha-2 code");
      }
      CANDOR_TRY(code_list(body, p, "control_entries", 32, false));
      CANDOR_TRY(text_field(body, p, "reasons", 20000));
      const auto denials = body.find("denials");
      if (denials == body.end() || !denials->is_array() || denials->empty() ||
          denials->size() > 64) {
        return bad(p + "denials: a list of 1 to 64 denials");
      }
      for (const auto& d : *denials) {
        if (!d.is_object()) return bad(p + "denials: each is an object");
        const std::string q = p + "denials[].";
        const auto authority = CANDOR_TRY(text_field(d, q, "authority", 2));
        if (!member_state_code(authority)) return bad(q + "authority: not a member state code");
        CANDOR_TRY(text_field(d, q, "reference", 120));
      }
      return {};
    }
  }
  return bad("message.kind: unknown");
}

std::string folder_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

bool member_state_code(std::string_view text) {
  return text.size() == 2 && std::isupper(static_cast<unsigned char>(text[0])) != 0 &&
         std::isupper(static_cast<unsigned char>(text[1])) != 0 &&
         static_cast<unsigned char>(text[0]) < 0x80 && static_cast<unsigned char>(text[1]) < 0x80;
}

std::string_view to_string(MessageKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "denial";
}

std::optional<MessageKind> message_kind_from_string(std::string_view text) {
  for (const auto& [k, name] : kKinds) {
    if (name == text) return k;
  }
  return std::nullopt;
}

Result<ExchangeFile> parse_exchange_file(std::string_view text) {
  auto doc =
      candor::json::parse_strict(text, {.max_bytes = std::size_t{1024} * 1024, .max_depth = 8});
  if (!doc.ok()) return bad("not JSON: " + doc.error().message());
  if (!doc->is_object()) return bad("not a JSON object");
  ExchangeFile out;
  out.member_state = CANDOR_TRY(text_field(*doc, "", "member_state", 2));
  if (!member_state_code(out.member_state)) {
    return bad("member_state: two capital letters (ISO 3166 alpha-2, or EU)");
  }
  out.name = CANDOR_TRY(text_field(*doc, "", "name", 200));
  out.key_file = CANDOR_TRY(text_field(*doc, "", "key_file", 4096));
  const auto peers = doc->find("peers");
  if (peers == doc->end() || !peers->is_array()) return bad("peers: missing or not a list");
  if (peers->size() > 64) return bad("peers: more than 64");
  for (std::size_t i = 0; i < peers->size(); ++i) {
    const auto& p = (*peers)[i];
    const std::string path = "peers[" + std::to_string(i) + "].";
    if (!p.is_object()) return bad(path.substr(0, path.size() - 1) + ": not an object");
    Peer peer;
    peer.member_state = CANDOR_TRY(text_field(p, path, "member_state", 2));
    if (!member_state_code(peer.member_state))
      return bad(path + "member_state: two capital letters");
    if (peer.member_state == out.member_state)
      return bad(path + "member_state: this authority's own");
    for (const auto& seen : out.peers) {
      if (seen.member_state == peer.member_state) return bad(path + "member_state: listed twice");
    }
    peer.name = CANDOR_TRY(text_field(p, path, "name", 200));
    peer.url = CANDOR_TRY(text_field(p, path, "url", 2000));
    if (peer.url.rfind("http://", 0) != 0 && peer.url.rfind("https://", 0) != 0) {
      return bad(path + "url: must start with http:// or https://");
    }
    while (!peer.url.empty() && peer.url.back() == '/') peer.url.pop_back();
    auto key = reg::VerifierKey::parse(CANDOR_TRY(text_field(p, path, "key", 400)));
    if (!key.ok()) return bad(path + "key: " + key.error().message());
    peer.key = std::move(key).value();
    out.peers.push_back(std::move(peer));
  }
  return out;
}

const Peer* ExchangeConfig::peer(std::string_view member_state) const {
  for (const auto& p : peers) {
    if (p.member_state == member_state) return &p;
  }
  return nullptr;
}

Result<ExchangeConfig> ExchangeConfig::load(const std::string& path) {
  auto text = read_file(path, std::size_t{1024} * 1024);
  if (!text.ok()) return std::move(text).error();
  auto file = parse_exchange_file(*text);
  if (!file.ok()) return std::move(file).error().within(path);
  std::filesystem::path key_path(file->key_file);
  if (key_path.is_relative()) key_path = std::filesystem::path(folder_of(path)) / key_path;
  auto key_text = read_file(key_path.string(), 4096);
  if (!key_text.ok()) return std::move(key_text).error().within(path + ": key_file");
  auto key = reg::SignerKey::parse(key_text->substr(0, key_text->find('\n')));
  if (!key.ok()) return std::move(key).error().within(key_path.string());
  ExchangeConfig config;
  config.member_state = file->member_state;
  config.name = file->name;
  config.key = std::move(key).value();
  config.peers = std::move(file->peers);
  return config;
}

json Message::to_json() const {
  return {{"id", id},           {"kind", std::string(licensing::to_string(kind))},
          {"from", from},       {"to", to},
          {"sent_at", sent_at}, {"body", body}};
}

Result<std::string> seal(const Message& message, const reg::SignerKey& key) {
  const json object = message.to_json();
  const std::string canonical = CANDOR_TRY(candor::json::canonical(object));
  const std::string text = std::string(kSignedPrefix) + canonical + "\n";
  const std::string note = CANDOR_TRY(reg::sign_note(text, key));
  // The note ends "\n— name base64\n": the signature is the last word.
  std::string signature = note.substr(note.rfind(' ') + 1);
  if (!signature.empty() && signature.back() == '\n') signature.pop_back();
  return json{{"message", object}, {"signature", signature}}.dump();
}

Result<Message> open_envelope(std::string_view envelope, const ExchangeConfig& config) {
  if (envelope.size() > kMaxEnvelopeBytes) {
    return bad("the envelope is larger than " + std::to_string(kMaxEnvelopeBytes) + " bytes");
  }
  auto doc =
      candor::json::parse_strict(envelope, {.max_bytes = kMaxEnvelopeBytes, .max_depth = 16});
  if (!doc.ok()) return bad("not JSON: " + doc.error().message());
  if (!doc->is_object()) return bad("the envelope is not a JSON object");
  const auto message = doc->find("message");
  if (message == doc->end() || !message->is_object()) return bad("message: not an object");
  const std::string signature = CANDOR_TRY(text_field(*doc, "", "signature", 200));
  for (const char ch : signature) {
    if (std::isalnum(static_cast<unsigned char>(ch)) == 0 && ch != '+' && ch != '/' && ch != '=') {
      return bad("signature: not base64");
    }
  }
  Message out;
  out.id = CANDOR_TRY(text_field(*message, "message.", "id", 80));
  const auto kind =
      message_kind_from_string(CANDOR_TRY(text_field(*message, "message.", "kind", 40)));
  if (!kind) return bad("message.kind: not a kind of message Candor exchanges");
  out.kind = *kind;
  out.from = CANDOR_TRY(text_field(*message, "message.", "from", 2));
  out.to = CANDOR_TRY(text_field(*message, "message.", "to", 2));
  out.sent_at = CANDOR_TRY(text_field(*message, "message.", "sent_at", 40));
  if (!Timestamp::parse_rfc3339(out.sent_at).ok()) return bad("message.sent_at: not RFC 3339");
  for (const char ch : out.id) {
    if (std::isalnum(static_cast<unsigned char>(ch)) == 0 && ch != '-') {
      return bad("message.id: letters, digits and hyphens only");
    }
  }
  const auto body = message->find("body");
  if (body == message->end()) return bad("message.body: missing");
  out.body = *body;
  // Who may say anything, before what they say is looked at closely.
  const Peer* sender = config.peer(out.from);
  if (sender == nullptr) {
    return Error(
        ErrorKind::unauthenticated,
        "message.from: " + out.from + " is not a configured peer of " + config.member_state);
  }
  if (out.to != config.member_state) {
    return bad("message.to: addressed to " + out.to + ", this is " + config.member_state);
  }
  if (message->size() != 6)
    return bad("message: unknown members besides id, kind, from, to, sent_at, body");
  const auto canonical = candor::json::canonical(*message);
  if (!canonical.ok()) return bad("message: " + canonical.error().message());
  const std::string note = std::string(kSignedPrefix) + *canonical + "\n\n\u2014 " +
                           sender->key.name + " " + signature + "\n";
  if (auto opened = reg::open_note(note, sender->key); !opened.ok()) {
    return Error(ErrorKind::unauthenticated,
                 "signature: does not verify with " + out.from + "'s key " + sender->key.name);
  }
  CANDOR_TRY(check_body(out.kind, out.body));
  return out;
}

std::string new_message_id(std::string_view member_state) {
  if (sodium_init() < 0) std::abort();
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  std::string out(member_state);
  out += '-';
  static constexpr char kHex[] = "0123456789abcdef";
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace candor::licensing
