// `usynys detect-campaigns`: compares every proposal waiting for campaign detection, as the
// server's thread does, and returns when none waits (scripts/seed runs it after a bulk load):
//
//   usynys detect-campaigns [--config FILE] [--database-url URL]
//
// Progress (proposals, rate) goes to stderr; the last line on stdout is
// `compared=N seconds=S per_s=R campaigns=C`. Exit status: 0; 2 on bad arguments; 3 when the
// database cannot be reached.
#pragma once

#include <string>
#include <vector>

namespace usynys::cli {

int campaigns_command(const std::vector<std::string>& args);

}  // namespace usynys::cli
