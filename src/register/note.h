// Signed notes (C2SP signed-note) and transparency-log checkpoints (C2SP tlog-checkpoint),
// with Ed25519 keys from libsodium. A note is its text, a blank line, and one line per
// signature: U+2014, a space, the key name, a space, and base64 of the 4-byte key id followed
// by the 64-byte signature of the text. Key ids are the first 4 bytes of
// SHA-256(name || 0x0A || 0x01 || public key). Signing is deterministic, so the reference
// notes are reproduced byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "register/merkle.h"

namespace candor::reg {

struct VerifierKey {
  std::string name;
  std::uint32_t id = 0;
  std::array<std::uint8_t, 32> public_key{};

  // "name+hexid+base64(0x01 || public key)". Errors: invalid_argument saying what is wrong.
  static Result<VerifierKey> parse(std::string_view text);
  std::string to_string() const;
};

struct SignerKey {
  std::string name;
  std::uint32_t id = 0;
  std::array<std::uint8_t, 32> seed{};

  // "PRIVATE+KEY+name+hexid+base64(0x01 || seed)".
  static Result<SignerKey> parse(std::string_view text);
  // A new key from the system's secure random source. Errors: invalid_argument for a name
  // that is empty or has a space, '+' or a character that is not printable.
  static Result<SignerKey> generate(std::string_view name);
  std::string to_string() const;
  VerifierKey verifier() const;
};

std::uint32_t key_id(std::string_view name, const std::array<std::uint8_t, 32>& public_key);

// Signs `text` (which must end in a newline). Errors: invalid_argument otherwise.
Result<std::string> sign_note(std::string_view text, const SignerKey& key);
// Checks that `note` carries a valid signature by `key` and returns its text. Errors:
// failed_precondition for a malformed note, a missing or a bad signature.
Result<std::string> open_note(std::string_view note, const VerifierKey& key);

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};

  std::string to_text() const;  // "origin\nsize\nbase64(root)\n"
  static Result<Checkpoint> parse(std::string_view text);
};

std::string base64(std::string_view bytes);
// Errors: invalid_argument when the text is not padded standard base64.
Result<std::string> from_base64(std::string_view text);

}  // namespace candor::reg
