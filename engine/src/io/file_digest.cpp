// SPDX-License-Identifier: MIT
#include "hotspots/io/file_digest.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

DigestContext new_sha256() {
  DigestContext context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
    throw Error("SHA-256: OpenSSL could not initialise a digest");
  return context;
}

std::string finish(EVP_MD_CTX* context) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest.data(), &length) != 1)
    throw Error("SHA-256: OpenSSL could not finish the digest");
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  const DigestContext context = new_sha256();
  if (EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1)
    throw Error("SHA-256: OpenSSL could not digest the bytes");
  return finish(context.get());
}

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open to compute its SHA-256", path));
  const DigestContext context = new_sha256();
  std::vector<char> block(std::size_t{1} << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const std::streamsize got = in.gcount();
    if (got > 0 &&
        EVP_DigestUpdate(context.get(), block.data(), static_cast<std::size_t>(got)) != 1)
      throw Error("SHA-256: OpenSSL could not digest the bytes");
  }
  if (in.bad()) throw IoError(fmt::format("{}: read failed while computing its SHA-256", path));
  return finish(context.get());
}

}  // namespace hotspots
