// What a register verifier reads from the network: keys, signed notes and checkpoints.
#include <cstdint>
#include <string_view>

#include "register/note.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto key =
      reg::VerifierKey::parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .value();
  (void)reg::VerifierKey::parse(text);
  (void)reg::SignerKey::parse(text);
  (void)reg::from_base64(text);
  auto opened = reg::open_note(text, key);
  (void)reg::Checkpoint::parse(opened.ok() ? std::string_view(opened.value()) : text);
  return 0;
}
