#include "register/note.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/digest.h"

namespace candor::reg {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 and a space

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // No randomness source or broken library: cannot sign safely.
}

bool valid_name(std::string_view name) {
  return !name.empty() && std::ranges::all_of(name, [](char ch) {
    const auto byte = static_cast<unsigned char>(ch);
    return byte > 0x20 && byte != 0x7F && ch != '+';
  });
}

std::string hex8(std::uint32_t id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[id & 0xF];
    id >>= 4;
  }
  return out;
}

Result<std::uint32_t> parse_hex8(std::string_view text) {
  std::uint32_t value = 0;
  if (text.size() != 8) return Error::invalid_argument("a key id is 8 hex digits");
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Error::invalid_argument("a key id is 8 hex digits");
  }
  return value;
}

// name+hexid+base64(0x01 || 32 bytes)
Result<std::pair<std::string, std::pair<std::uint32_t, std::array<std::uint8_t, 32>>>> parse_key(
    std::string_view text) {
  // Names cannot hold '+', base64 can: split at the first two.
  const auto first = text.find('+');
  if (first == std::string_view::npos) return Error::invalid_argument("not a key");
  const auto second = text.find('+', first + 1);
  if (second == std::string_view::npos) return Error::invalid_argument("not a key");
  const std::string name(text.substr(0, first));
  if (!valid_name(name)) return Error::invalid_argument("the key name is not valid");
  const auto id = CANDOR_TRY(parse_hex8(text.substr(first + 1, second - first - 1)));
  const std::string raw = CANDOR_TRY(from_base64(text.substr(second + 1)));
  if (raw.size() != 33 || raw[0] != 0x01) {
    return Error::invalid_argument("the key is not an Ed25519 key (0x01 and 32 bytes)");
  }
  std::array<std::uint8_t, 32> bytes{};
  std::copy(raw.begin() + 1, raw.end(), reinterpret_cast<char*>(bytes.data()));
  return std::make_pair(name, std::make_pair(id, bytes));
}

std::string key_text(std::string_view name, std::uint32_t id,
                     const std::array<std::uint8_t, 32>& bytes) {
  std::string raw(1, '\x01');
  raw.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return std::string(name) + "+" + hex8(id) + "+" + base64(raw);
}

}  // namespace

std::string base64(std::string_view bytes) {
  ensure_sodium();
  const std::size_t length =
      sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(length, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // The terminating NUL.
  return out;
}

Result<std::string> from_base64(std::string_view text) {
  ensure_sodium();
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return Error::invalid_argument("not base64");
  }
  out.resize(length);
  return out;
}

std::uint32_t key_id(std::string_view name, const std::array<std::uint8_t, 32>& public_key) {
  std::string input(name);
  input.push_back('\n');
  input.push_back('\x01');
  input.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  const std::string hex = sha256_of(input);
  return static_cast<std::uint32_t>(std::strtoul(hex.substr(0, 8).c_str(), nullptr, 16));
}

Result<VerifierKey> VerifierKey::parse(std::string_view text) {
  auto [name, rest] = CANDOR_TRY(parse_key(text));
  VerifierKey key{name, rest.first, rest.second};
  if (key_id(key.name, key.public_key) != key.id) {
    return Error::invalid_argument("the key id does not match the key");
  }
  return key;
}

std::string VerifierKey::to_string() const { return key_text(name, id, public_key); }

Result<SignerKey> SignerKey::parse(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!text.starts_with(kPrefix)) return Error::invalid_argument("not a signer key");
  auto [name, rest] = CANDOR_TRY(parse_key(text.substr(kPrefix.size())));
  SignerKey key{name, rest.first, rest.second};
  if (key.verifier().id != key.id) {
    return Error::invalid_argument("the key id does not match the key");
  }
  return key;
}

Result<SignerKey> SignerKey::generate(std::string_view name) {
  if (!valid_name(name)) {
    return Error::invalid_argument("key name: no spaces, '+' or control characters");
  }
  ensure_sodium();
  SignerKey key;
  key.name = std::string(name);
  randombytes_buf(key.seed.data(), key.seed.size());
  key.id = key.verifier().id;
  return key;
}

std::string SignerKey::to_string() const { return "PRIVATE+KEY+" + key_text(name, id, seed); }

VerifierKey SignerKey::verifier() const {
  ensure_sodium();
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  sodium_memzero(sk.data(), sk.size());
  VerifierKey out{name, 0, pk};
  out.id = key_id(name, pk);
  return out;
}

Result<std::string> sign_note(std::string_view text, const SignerKey& key) {
  if (text.empty() || text.back() != '\n') {
    return Error::invalid_argument("a note's text ends with a newline");
  }
  ensure_sodium();
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), key.seed.data());
  std::array<std::uint8_t, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size(), sk.data());
  sodium_memzero(sk.data(), sk.size());
  std::string blob;
  for (int shift = 24; shift >= 0; shift -= 8) {
    blob.push_back(static_cast<char>((key.id >> shift) & 0xFF));
  }
  blob.append(reinterpret_cast<const char*>(signature.data()), signature.size());
  return std::string(text) + "\n" + std::string(kDash) + key.name + " " + base64(blob) + "\n";
}

Result<std::string> open_note(std::string_view note, const VerifierKey& key) {
  const auto split = note.rfind("\n\n");
  if (split == std::string_view::npos || !note.ends_with('\n')) {
    return Error::failed_precondition("not a signed note: no blank line before the signatures");
  }
  const std::string_view text = note.substr(0, split + 1);
  std::string_view lines = note.substr(split + 2);
  bool verified = false;
  while (!lines.empty()) {
    const auto end = lines.find('\n');
    const std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end + 1);
    if (!line.starts_with(kDash)) {
      return Error::failed_precondition("not a signed note: a signature line must start with —");
    }
    const std::string_view rest = line.substr(kDash.size());
    const auto space = rest.find(' ');
    if (space == std::string_view::npos)
      return Error::failed_precondition("malformed signature line");
    if (rest.substr(0, space) != key.name) continue;
    auto blob = from_base64(rest.substr(space + 1));
    if (!blob.ok() || blob->size() != 4 + crypto_sign_BYTES) {
      return Error::failed_precondition("malformed signature from " + key.name);
    }
    std::uint32_t id = 0;
    for (int i = 0; i < 4; ++i)
      id = (id << 8) | static_cast<std::uint8_t>((*blob)[static_cast<std::size_t>(i)]);
    if (id != key.id) continue;
    ensure_sodium();
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(blob->data() + 4),
                                    reinterpret_cast<const unsigned char*>(text.data()),
                                    text.size(), key.public_key.data()) != 0) {
      return Error::failed_precondition("the signature of " + key.name + " does not verify");
    }
    verified = true;
  }
  if (!verified) return Error::failed_precondition("the note has no signature by " + key.name);
  return std::string(text);
}

std::string Checkpoint::to_text() const {
  return origin + "\n" + std::to_string(size) + "\n" + base64(to_bytes(root)) + "\n";
}

Result<Checkpoint> Checkpoint::parse(std::string_view text) {
  Checkpoint out;
  const auto first = text.find('\n');
  const auto second = first == std::string_view::npos ? first : text.find('\n', first + 1);
  const auto third = second == std::string_view::npos ? second : text.find('\n', second + 1);
  if (third == std::string_view::npos) {
    return Error::invalid_argument("a checkpoint has an origin, a size and a root hash line");
  }
  out.origin = std::string(text.substr(0, first));
  const auto size_text = text.substr(first + 1, second - first - 1);
  const auto [ptr, ec] =
      std::from_chars(size_text.data(), size_text.data() + size_text.size(), out.size);
  if (ec != std::errc() || ptr != size_text.data() + size_text.size() || size_text.empty() ||
      (size_text.size() > 1 && size_text[0] == '0')) {
    return Error::invalid_argument("the checkpoint's tree size is not a decimal number");
  }
  auto root = from_base64(text.substr(second + 1, third - second - 1));
  if (!root.ok()) return Error::invalid_argument("the checkpoint's root hash is not base64");
  out.root = CANDOR_TRY(hash_from_bytes(*root));
  return out;
}

}  // namespace candor::reg
