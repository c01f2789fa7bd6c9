// The exports (any role): every proposal matching the list's filters, streamed from one
// snapshot as CSV or JSON Lines in bounded memory.
#include "api/handlers.hpp"
#include "api/records.hpp"
#include "api/request.hpp"
#include "api/staff_query.hpp"
#include "ops/log.hpp"

namespace usynys::api::exports {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using domain::FieldError;

namespace {

// The body of an export: pieces from the export's cursor.
class ExportBody final : public http::BodyStream {
 public:
  explicit ExportBody(std::shared_ptr<store::ExportStream> stream) : stream_(std::move(stream)) {}
  asio::awaitable<std::string> next() override { co_return co_await stream_->next(); }

 private:
  std::shared_ptr<store::ExportStream> stream_;
};

enum class Format { csv, jsonl };

Answer run(Services& s, Call& call, Format format) {
  store::ProposalQuery pq;
  std::vector<FieldError> errors;
  read_proposal_query(s, call.query, {}, pq, errors);
  if (!errors.empty()) co_return bad_query(errors);
  const bool csv = format == Format::csv;
  std::string header = csv ? csv_header() : std::string();
  store::ExportFormatter formatter =
      csv ? store::ExportFormatter(append_csv_record) : store::ExportFormatter(append_jsonl_record);
  std::shared_ptr<store::ExportStream> stream =
      co_await s.staff.export_proposals(std::move(pq), std::move(header), std::move(formatter));
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type,
          csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8");
  res.set(bhttp::field::content_disposition, csv ? "attachment; filename=\"proposals.csv\""
                                                 : "attachment; filename=\"proposals.jsonl\"");
  res.set(bhttp::field::cache_control, "no-store");
  res.stream = std::make_shared<ExportBody>(std::move(stream));
  ops::log(
      "info",
      {{"event", "export_started"}, {"actor", call.who().name}, {"format", csv ? "csv" : "jsonl"}});
  co_return res;
}

}  // namespace

Answer csv(Services& s, Call& call) {
  return run(s, call, Format::csv);
}

Answer jsonl(Services& s, Call& call) {
  return run(s, call, Format::jsonl);
}

}  // namespace usynys::api::exports
