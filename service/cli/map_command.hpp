// `usynys map-articles`: the article map between two loaded documents as the service suggests
// it, without a database (scripts/eval-map measures it):
//
//   usynys map-articles [--config FILE] [--parameters JSON] FROM TO
//
// Prints one JSON object a line per article in force of TO, in document order:
// {"article","predecessors":[ids],"score","candidates":[{"article","score"}]}. --parameters
// overrides match::MapParameters by name (e.g. '{"match_min":0.1}'). Exit status: 0, or 2 on
// bad arguments, an unknown document or a document without the reference language's text.
#pragma once

#include <string>
#include <vector>

namespace usynys::cli {

int map_command(const std::vector<std::string>& args);

}  // namespace usynys::cli
