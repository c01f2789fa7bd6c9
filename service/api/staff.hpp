// Staff resources (bearer tokens, see auth.hpp): proposals with their personal fields, their
// exports (CSV, JSON Lines; streamed), moderation and the audit log. Each handler checks the
// token first (401/403), then its parameters (422), then asks the StaffStore; domain::Error
// propagates to the router's catch site. Handlers run on the connection's strand.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/auth.hpp"
#include "api/query.hpp"
#include "domain/document.hpp"
#include "http/server.hpp"
#include "store/staff_store.hpp"

namespace usynys::api {

class StaffApi {
 public:
  // Keeps what it needs of `documents` (article ids and sections) for checking filters.
  StaffApi(const std::vector<domain::Document>& documents, store::StaffStore& store,
           TokenCache& tokens, int retry_after_s);

  // GET /api/v1/proposals: filters, `cursor` and `limit`; any role.
  boost::asio::awaitable<http::Response> list_proposals(const http::Request& req);
  // GET /api/v1/proposals/{id}; any role.
  boost::asio::awaitable<http::Response> get_proposal(const http::Request& req, std::string id);
  // GET /api/v1/export/proposals.{csv,jsonl}: the list's filters, the whole result streamed;
  // any role. format: "csv" or "jsonl".
  boost::asio::awaitable<http::Response> export_proposals(const http::Request& req,
                                                          std::string format);
  // POST /api/v1/proposals/{id}/moderation; moderator or admin.
  boost::asio::awaitable<http::Response> moderate(const http::Request& req, std::string id);
  // GET /api/v1/audit; admin.
  boost::asio::awaitable<http::Response> list_audit(const http::Request& req);

 private:
  struct DocumentIndex {
    std::set<std::string, std::less<>> articles;
    std::map<int, std::string> sections;  // number -> roman
  };

  // Reads the filters into `out`, allowing `extra` parameters too; appends what is wrong.
  void read_query(const Query& q, const std::set<std::string, std::less<>>& extra,
                  store::ProposalQuery& out, std::vector<domain::FieldError>& errors) const;

  std::map<std::string, DocumentIndex, std::less<>> documents_;
  store::StaffStore& store_;
  TokenCache& tokens_;
  int retry_after_s_;
};

// RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, CR or LF; an apostrophe
// before a field starting with =, +, -, @, tab or CR, which spreadsheets read as a formula. Pure.
void append_csv_field(std::string& out, std::string_view field);

}  // namespace usynys::api
