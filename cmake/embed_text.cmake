# Writes OUT: a header with one `inline constexpr std::string_view <stem>` per file in FILES,
# inside namespace usynys::NAMESPACE, and the table `files` of every file by its name (stem and
# extension). The header is rewritten only when its text changes.
set(body "// Generated at build time; do not edit.\n#pragma once\n#include <string_view>\n\nnamespace usynys::${NAMESPACE} {\n")
set(table "")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f IN LISTS FILES)
  get_filename_component(stem ${f} NAME_WE)
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(APPEND body "inline constexpr std::string_view ${stem} = R\"usynys_embed(${text})usynys_embed\";\n")
  string(APPEND table "    {\"${name}\", ${stem}},\n")
endforeach()
string(APPEND body "\nstruct File {\n  std::string_view name;\n  std::string_view text;\n};\n")
string(APPEND body "inline constexpr File files[] = {\n${table}};\n")
string(APPEND body "}  // namespace usynys::${NAMESPACE}\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
