// Hashes used before data reaches SQL: keyed hashes of identifiers, request fingerprints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace usynys::store {

// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);
// Raw 32-byte HMAC-SHA-256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);
// The keyed fingerprint of a request from the SHA-256 digest of its canonical JSON: raw 32-byte
// HMAC-SHA-256 under `key` of a label and the digest. Keyed, because the body holds personal
// data that a plain digest would let anyone test guesses of; taken over the digest, so that
// plain digests stored by older versions can be rekeyed without their bodies.
std::string request_fingerprint(std::string_view key, std::string_view body_sha256);
// The keyed fingerprint of what a proposal says (domain::content_signature, which holds the
// identifier in clear): raw 32-byte HMAC-SHA-256 under `key`, labelled apart from the others.
std::string content_fingerprint(std::string_view key, std::string_view signature);
// The receipt of proposal `id` (domain::kReceiptBytes raw bytes, see domain/receipt.hpp): keyed,
// so that only the server can make one, and taken from the id, so that a replay of the request
// answers the same receipt though only receipt_hash(receipt) is stored.
std::string receipt_for(std::string_view key, std::int64_t id);
// What is stored of a receipt: its raw SHA-256 digest.
std::string receipt_hash(std::string_view receipt);
// PostgreSQL bytea hex literal: "\x0a1b...".
std::string bytea_hex(std::string_view raw);

}  // namespace usynys::store
