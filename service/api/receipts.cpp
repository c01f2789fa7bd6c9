// GET /api/v1/receipts/{receipt} (public, no token): what became of a proposal, for whoever holds
// its receipt; never its text or anything personal. A known and an unknown code are answered
// after the same time (receipts.answer_ms from the request's start), so that the time of the
// answer does not tell which codes exist.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/proposal_dto.hpp"
#include "api/request.hpp"
#include "domain/receipt.hpp"
#include "store/hash.hpp"

namespace usynys::api::receipts {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

Answer get(Services& s, Call& call) {
  boost::asio::steady_timer answer_at(co_await boost::asio::this_coro::executor,
                                      std::chrono::steady_clock::now() + s.receipt_answer);
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {}, errors);
  http::Response res;
  if (!errors.empty()) {
    res = bad_query(errors);
  } else {
    // A code that cannot be one is looked up all the same (its digest matches nothing), so that
    // it takes the path of an unknown one.
    const std::string& code = call.path_value("receipt");
    const std::optional<std::string> raw = domain::parse_receipt(code);
    const std::optional<domain::ProposalReceipt> found =
        co_await s.store.receipt(store::receipt_hash(raw ? *raw : code));
    if (!found) {
      res = problem(bhttp::status::not_found, "no proposal has this receipt");
    } else {
      res = json_response(
          bhttp::status::ok,
          {{"id", std::to_string(found->id)},
           {"document", found->document},
           {"received_at", found->received_at},
           {"articles", found->articles},
           {"status", found->hidden ? "hidden" : "received"},
           {"disposition",
            found->disposition ? standing_disposition_json(*found->disposition) : json(nullptr)}});
    }
  }
  res.set(bhttp::field::cache_control, "no-store");
  boost::system::error_code ignored;
  co_await answer_at.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
  co_return res;
}

}  // namespace usynys::api::receipts
