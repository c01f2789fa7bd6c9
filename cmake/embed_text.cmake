# Writes OUT: a header with one `inline constexpr std::string_view <stem>` per file in FILES,
# inside namespace usynys::NAMESPACE. The header is rewritten only when its text changes.
set(body "// Generated at build time; do not edit.\n#pragma once\n#include <string_view>\n\nnamespace usynys::${NAMESPACE} {\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f IN LISTS FILES)
  get_filename_component(stem ${f} NAME_WE)
  file(READ ${f} text)
  string(APPEND body "inline constexpr std::string_view ${stem} = R\"usynys_embed(${text})usynys_embed\";\n")
endforeach()
string(APPEND body "}  // namespace usynys::${NAMESPACE}\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
