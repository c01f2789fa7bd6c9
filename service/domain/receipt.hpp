// Receipts: the code a submitter keeps to follow a proposal without an account. Twenty bytes
// shown as 32 characters of Crockford's base32 in eight groups of four ("7K3M-Q0ZD-..."), so
// that it can be read aloud, copied by hand and typed on a phone; read back ignoring case,
// hyphens and spaces, with O taken as 0 and I or L as 1.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace usynys::domain {

inline constexpr std::size_t kReceiptBytes = 20;

// The code shown for `raw` (kReceiptBytes bytes).
std::string format_receipt(std::string_view raw);

// The bytes of a code as a person may type it; nullopt for anything that is not one.
std::optional<std::string> parse_receipt(std::string_view code);

}  // namespace usynys::domain
