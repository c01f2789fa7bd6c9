// POST /api/v1/imports (admin): an import over HTTP for other systems. The body is JSON Lines
// (application/x-ndjson), read piece by piece as it arrives (never held whole), each row checked
// as `usynys import` checks it and written in batches of one transaction each; the answer gives
// the counts and the rejected rows. Optional ?channel= and ?document= for rows that name none,
// ?dry_run=1 to check and store nothing.
#include <boost/beast/core/string.hpp>

#include "api/handlers.hpp"
#include "api/import_rows.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"
#include "ops/log.hpp"

namespace usynys::api::imports {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::size_t kBatch = 1000;
// Rejected rows listed in the answer at most; the counts cover them all.
constexpr std::size_t kMaxListed = 10000;

bool is_ndjson(std::string_view v) {
  std::string_view type = v.substr(0, v.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return boost::beast::iequals(type, "application/x-ndjson") ||
         boost::beast::iequals(type, "application/jsonl");
}

// One import: its rows checked line by line, batched, written, counted.
class Run {
 public:
  Run(Services& s, const ImportRows& rows, bool dry_run) : s_(s), rows_(rows), dry_run_(dry_run) {}

  // A line of the body (without its newline).
  void take_line(std::string_view text) {
    ++line_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) return;
    store::ImportRow row;
    std::vector<Rejection> rejections;
    if (rows_.from_json(line_, text, row, rejections)) {
      batch_.push_back(std::move(row));
    } else {
      ++rejected_;
      for (const Rejection& r : rejections) list(r);
    }
  }

  bool batch_full() const { return batch_.size() >= kBatch; }

  // Writes the rows taken since the last flush, in one transaction.
  boost::asio::awaitable<void> flush() {
    if (batch_.empty()) co_return;
    std::vector<store::ImportRow> taken = std::move(batch_);
    batch_.clear();
    const std::vector<store::ImportOutcome> outcomes =
        co_await s_.staff.import_batch(taken, dry_run_);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      switch (outcomes[i].kind) {
        case store::ImportOutcome::Kind::imported:
          ++imported_;
          break;
        case store::ImportOutcome::Kind::duplicate:
          ++duplicates_;
          break;
        case store::ImportOutcome::Kind::conflict:
          ++rejected_;
          list({taken[i].line, *taken[i].proposal.external_ref, "/external_ref",
                outcomes[i].message});
          break;
      }
    }
  }

  json answer() {
    json out = {{"imported", imported_},
                {"duplicates", duplicates_},
                {"rejected", rejected_},
                {"errors", std::move(errors_)}};
    if (omitted_ > 0) out["errors_omitted"] = omitted_;
    return out;
  }

 private:
  void list(const Rejection& r) {
    if (errors_.size() >= kMaxListed) {
      ++omitted_;
      return;
    }
    errors_.push_back({{"line", r.line},
                       {"external_ref", r.external_ref},
                       {"field", r.field},
                       {"message", r.message}});
  }

  Services& s_;
  const ImportRows& rows_;
  const bool dry_run_;
  std::size_t line_ = 0;
  std::vector<store::ImportRow> batch_;
  std::int64_t imported_ = 0;
  std::int64_t duplicates_ = 0;
  std::int64_t rejected_ = 0;
  std::int64_t omitted_ = 0;  // rejections left out of the list
  json errors_ = json::array();
};

}  // namespace

Answer run(Services& s, Call& call) {
  const http::Request& req = call.request;
  auto ct = req.find(bhttp::field::content_type);
  if (ct == req.end() || !is_ndjson(ct->value())) {
    co_return problem(bhttp::status::unsupported_media_type,
                      "the body must be application/x-ndjson: one proposal per line");
  }
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"channel", "document", "dry_run"}, errors);
  std::optional<std::string> channel;
  if (const std::string* c = call.query.get("channel")) {
    if (!domain::one_of(domain::kChannels, *c)) {
      errors.push_back({"?channel", "must be one of web, e-otinish, egov, email, mail, hearing"});
    }
    channel = *c;
  }
  std::optional<std::string> document;
  if (const std::string* d = call.query.get("document")) {
    if (s.catalog.find(*d) == nullptr) errors.push_back({"?document", "no document " + *d});
    document = *d;
  }
  const std::string* dry = call.query.get("dry_run");
  if (dry != nullptr && *dry != "0" && *dry != "1")
    errors.push_back({"?dry_run", "must be 0 or 1"});
  if (!errors.empty()) co_return bad_query(errors);
  const bool dry_run = dry != nullptr && *dry == "1";

  const ImportRows rows(s.catalog, channel, document);
  Run import(s, rows, dry_run);
  std::string pending;  // the start of a line whose end has not arrived
  // A body the server already read (a small one) is the same as one piece.
  // (No co_await inside a conditional expression: GCC 12 mishandles its temporaries.)
  const bool streamed = call.context.body != nullptr;
  std::string piece;
  if (streamed) {
    piece = co_await call.context.body->next();
  } else {
    piece = req.body();
  }
  while (!piece.empty()) {
    std::string_view rest = piece;
    for (std::size_t nl; (nl = rest.find('\n')) != std::string_view::npos;) {
      if (pending.empty()) {
        import.take_line(rest.substr(0, nl));
      } else {
        pending.append(rest.substr(0, nl));
        import.take_line(pending);
        pending.clear();
      }
      rest.remove_prefix(nl + 1);
    }
    pending.append(rest);
    if (import.batch_full()) co_await import.flush();
    piece.clear();
    if (streamed) piece = co_await call.context.body->next();
  }
  if (!pending.empty()) import.take_line(pending);
  co_await import.flush();
  json out = import.answer();
  ops::log("info", {{"event", "import"},
                    {"actor", call.who().name},
                    {"imported", out.at("imported")},
                    {"duplicates", out.at("duplicates")},
                    {"rejected", out.at("rejected")},
                    {"dry_run", dry_run}});
  co_return json_response(bhttp::status::ok, out);
}

}  // namespace usynys::api::imports
