// Decompressing gzip answers in tests.
#pragma once

#include <string>
#include <string_view>

namespace usynys::test {

// The data of the gzip member(s) in `compressed`; throws std::runtime_error when it is not
// complete, well-formed gzip.
std::string gunzip(std::string_view compressed);

}  // namespace usynys::test
