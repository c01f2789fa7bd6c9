// The staff console: the files of service/console/, embedded in the binary at build time and
// served as they are. The console is a client of the API like any other: it holds no rights of
// its own, and every action it offers goes through the API's role checks. Its pages may run only
// their own scripts and styles and talk only to this origin (Content-Security-Policy), and no
// other site may frame them.
#include <array>
#include <string>
#include <string_view>

#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "usynys/console.hpp"

namespace usynys::api::console {

namespace bhttp = http::bhttp;

namespace {

constexpr std::string_view kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'";

std::string_view content_type(std::string_view name) {
  struct Type {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr std::array<Type, 5> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
  }};
  for (const Type& t : kTypes) {
    if (name.ends_with(t.extension)) return t.type;
  }
  return "application/octet-stream";
}

void protect(http::Response& res) {
  res.set("Content-Security-Policy", kPolicy);
  res.set("X-Frame-Options", "DENY");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
}

http::Response serve(std::string_view name) {
  for (const usynys::console::File& f : usynys::console::files) {
    if (f.name != name) continue;
    // The route revalidates (ETag, no-cache): a new release reaches every open console at its
    // next load.
    http::Response res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, content_type(name));
    protect(res);
    res.body() = std::string(f.text);
    return res;
  }
  http::Response res = problem(bhttp::status::not_found, "the console has no such file");
  protect(res);
  return res;
}

}  // namespace

Answer index(Services& /*s*/, Call& /*call*/) {
  co_return serve("index.html");
}

Answer redirect(Services& /*s*/, Call& /*call*/) {
  http::Response res{bhttp::status::permanent_redirect, 11};
  res.set(bhttp::field::location, "/console/");
  protect(res);
  co_return res;
}

Answer file(Services& /*s*/, Call& call) {
  co_return serve(call.path_value("file"));
}

}  // namespace usynys::api::console
