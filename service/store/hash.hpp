// Hashes used before data reaches SQL: keyed hashes of identifiers, request fingerprints.
#pragma once

#include <string>
#include <string_view>

namespace usynys::store {

// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);
// Raw 32-byte HMAC-SHA-256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);
// PostgreSQL bytea hex literal: "\x0a1b...".
std::string bytea_hex(std::string_view raw);

}  // namespace usynys::store
