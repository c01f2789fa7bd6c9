// `usynys check-config FILE`: reads a configuration and every document, map and vocabulary it
// names, as the server would at start, without touching the database, and says what it found:
//
//   usynys check-config FILE
//
// Prints one line per document (slug, languages, articles in force, sections) and `ok`; on the
// first problem one line on stderr naming the file and what is wrong. Exit status: 0 valid;
// 1 invalid; 2 bad arguments.
#pragma once

#include <string>
#include <vector>

namespace usynys::cli {

int check_config_command(const std::vector<std::string>& args);

}  // namespace usynys::cli
