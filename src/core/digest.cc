#include "core/digest.h"

#include <openssl/evp.h>

#include <memory>

namespace candor {
namespace {

std::string digest_hex(std::initializer_list<std::string_view> parts, bool separate) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (const auto part : parts) {
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
    if (separate) EVP_DigestUpdate(ctx.get(), "", 1);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

}  // namespace

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  return digest_hex(parts, true);
}

std::string sha256_of(std::string_view bytes) { return digest_hex({bytes}, false); }

}  // namespace candor
