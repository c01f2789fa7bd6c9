#include "store/hash.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "domain/receipt.hpp"

namespace usynys::store {

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &len) == nullptr) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string request_fingerprint(std::string_view key, std::string_view body_sha256) {
  std::string labelled = "usynys request fingerprint\n";
  labelled += body_sha256;
  return hmac_sha256(key, labelled);
}

std::string content_fingerprint(std::string_view key, std::string_view signature) {
  std::string labelled = "usynys content fingerprint\n";
  labelled += sha256(signature);
  return hmac_sha256(key, labelled);
}

std::string receipt_for(std::string_view key, std::int64_t id) {
  return hmac_sha256(key, "usynys receipt\n" + std::to_string(id)).substr(0, domain::kReceiptBytes);
}

std::string receipt_hash(std::string_view receipt) {
  return sha256(receipt);
}

std::string bytea_hex(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "\\x";
  for (unsigned char c : raw) {
    s += kHex[c >> 4];
    s += kHex[c & 15];
  }
  return s;
}

}  // namespace usynys::store
