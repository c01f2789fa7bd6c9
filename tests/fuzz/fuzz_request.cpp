// libFuzzer target: an HTTP request as it comes off the socket, through the same steps as a
// submission: Beast's parser with the service's limits, the query string and time filters, the
// strict JSON reader, the DTO mapping and validation against a small document. Any crash,
// sanitizer report or broken invariant fails.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/json_body.hpp"
#include "api/proposal_dto.hpp"
#include "api/query.hpp"
#include "domain/proposal.hpp"
#include "domain/text.hpp"

namespace {

namespace bhttp = boost::beast::http;
using namespace usynys;

const domain::Document& document() {
  static const domain::Document doc = [] {
    domain::Document d;
    d.slug = "fuzz";
    d.title = "Fuzz";
    d.sections = {{1, "I", "One"}, {2, "II", "Two"}};
    d.articles = {{"1", 1, 1, "Бірінші.", {"1", "2"}, 8, false, {}, {}},
                  {"2", 2, 1, "", {}, 0, true, {}, {}},
                  {"83-1", 3, 2, "Third ✓", {"1", "3-1"}, 7, false, {}, {}}};
    d.index();
    return d;
  }();
  return doc;
}

void check(bool ok) {
  if (!ok) std::abort();
}

void submission(std::string_view body) {
  api::ParsedJson parsed = api::parse_strict_json(body);
  if (!parsed.ok) {
    check(!parsed.error.empty());
    return;
  }
  std::vector<domain::FieldError> errors;
  domain::ProposalInput in = api::map_proposal(parsed.value, errors);
  domain::ValidProposal out;
  std::vector<domain::FieldError> rules = domain::validate(in, document(), out);
  if (errors.empty() && rules.empty()) {
    // What would be stored: valid UTF-8 in NFC, within the limits, articles in force.
    check(domain::valid_utf8(out.text) && !out.text.empty());
    check(domain::code_points(out.text) <= domain::kMaxTextChars);
    check(domain::to_nfc(out.text) == out.text);
    check(!out.articles.empty() && out.articles.size() <= domain::kMaxArticles);
    for (const auto& a : out.articles) {
      const domain::Article* art = document().find(a.article);
      check(art != nullptr && !art->repealed);
    }
  }
  for (const auto& e : rules) check(e.field.empty() || e.field.front() == '/');
  (void)parsed.value.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(input.data(), input.size()), ec);
  if (!ec && parser.is_done()) {
    const auto& req = parser.get();
    api::Query q = api::parse_query(req.target());
    // No parameter that reaches SQL holds a control character (a NUL would cut it short).
    for (const auto& [name, value] : q.params) check(!domain::has_any_control_char(value));
    std::vector<domain::FieldError> errors;
    const stats::Filter f = api::parse_filter(q, "fuzz", errors);
    for (const auto* v : {&f.region, &f.from, &f.to}) {
      check(!*v || !domain::has_any_control_char(**v));
    }
    // A time bound is always RFC 3339 in UTC, which PostgreSQL reads whatever its offset.
    for (const auto* v : {&f.from, &f.to}) check(!*v || (*v)->back() == 'Z');
    submission(req.body());
  }
  // The body reader is also reached directly, without HTTP framing.
  submission(input);
  if (size < 64) {
    const auto bound = api::parse_time_bound(input, size % 2 == 0);
    check(!bound || (bound->size() >= 20 && bound->size() <= 27 && bound->back() == 'Z'));
  }
  return 0;
}
