// `usynys suggest-articles`: article suggestions for texts, as the service computes them,
// without a database (scripts/eval-tagging measures them):
//
//   usynys suggest-articles [--config FILE] [--document SLUG] [--limit N] < texts.jsonl
//
// Reads JSON Lines {"id","text","language"?} (language detected when absent) and prints one
// line per input: {"id","language","suggestions":[{"article","score"}],"model"}. Exit status:
// 0, or 2 on bad arguments, an unknown document or a malformed line (named by number).
#pragma once

#include <string>
#include <vector>

namespace usynys::cli {

int suggest_command(const std::vector<std::string>& args);

}  // namespace usynys::cli
