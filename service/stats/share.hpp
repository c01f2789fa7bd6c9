// The one definition of a share. Pure.
#pragma once

#include <cstdint>

namespace usynys::stats {

// part / total as an IEEE double; 0 when total is 0.
inline double share(std::int64_t part, std::int64_t total) {
  return total == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(total);
}

}  // namespace usynys::stats
