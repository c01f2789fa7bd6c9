// HTTP behaviour: routing answers, header limits, keep-alive, operations endpoints.
#include <boost/test/unit_test.hpp>
#include <string>

#include "e2e_fixture.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::E2eCase;
using usynys::test::proposal;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http, E2eCase)

BOOST_AUTO_TEST_CASE(healthz_and_readyz_answer_200) {
  auto c = client();
  auto res = c.get("/healthz");
  BOOST_TEST(res.status == 200, res.body);
  res = c.get("/readyz");
  BOOST_TEST(res.status == 200, res.body);
}

BOOST_AUTO_TEST_CASE(openapi_description_is_served_as_json) {
  auto c = client();
  auto res = c.get("/api/v1/openapi.json");
  BOOST_TEST_REQUIRE(res.status == 200);
  json j = res.json();
  BOOST_TEST(j.value("openapi", "").starts_with("3."));
  BOOST_TEST(j.contains("paths"));
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404) {
  auto c = client();
  check_problem(c.get("/api/v1/nothing-here"), 404);
  check_problem(c.get("/api/v1/documents/"), 404);
  check_problem(c.get("/"), 404);
}

BOOST_AUTO_TEST_CASE(wrong_method_is_405_with_allow) {
  auto c = client();
  auto res = c.request("DELETE", "/api/v1/stats/coverage");
  check_problem(res, 405);
  BOOST_TEST(res.header("Allow").value_or("<none>") == "GET");
  res = c.request("PUT", "/healthz", "{}", {{"Content-Type", "application/json"}});
  check_problem(res, 405);
  BOOST_TEST(res.header("Allow").value_or("<none>") == "GET");
  res = c.request("PATCH", "/api/v1/documents", "{}", {{"Content-Type", "application/json"}});
  check_problem(res, 405);
  BOOST_TEST(res.header("Allow").value_or("<none>").find("GET") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(oversized_headers_are_431_or_400) {
  auto c = client();
  auto res = c.get("/healthz", {{"X-Padding", std::string(20000, 'a')}});
  BOOST_TEST((res.status == 431 || res.status == 400), "status " << res.status);
  check_problem(res, res.status);
  BOOST_TEST(c.closed_by_server());
}

BOOST_AUTO_TEST_CASE(malformed_request_line_is_400) {
  auto c = client();
  c.send_raw("NOT AN HTTP REQUEST\r\n\r\n");
  auto res = c.read_response();
  check_problem(res, 400);
  BOOST_TEST(c.closed_by_server());
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
  auto c = client();
  const auto local = c.local_port();
  auto res = c.get("/healthz");
  BOOST_TEST(res.status == 200);
  BOOST_TEST(res.keep_alive);
  res = c.post_json("/api/v1/proposals", proposal({"1"}).dump());
  BOOST_TEST(res.status == 201, res.body);
  BOOST_TEST(res.keep_alive);
  res = c.post_json("/api/v1/proposals", proposal({"84"}).dump());
  BOOST_TEST(res.status == 422, res.body);
  BOOST_TEST(res.keep_alive, "a 422 keeps the connection");
  res = c.get("/api/v1/nothing-here");
  BOOST_TEST(res.status == 404);
  BOOST_TEST(res.keep_alive);
  res = c.get("/api/v1/stats/coverage");
  BOOST_TEST_REQUIRE(res.status == 200);
  BOOST_TEST(res.json()["proposals"] == 1);
  res = c.get("/api/v1/documents");
  BOOST_TEST(res.status == 200);
  BOOST_TEST(c.local_port() == local, "one TCP connection throughout");
}

BOOST_AUTO_TEST_CASE(connection_close_is_honoured) {
  auto c = client();
  auto res = c.get("/healthz", {{"Connection", "close"}});
  BOOST_TEST(res.status == 200);
  BOOST_TEST(!res.keep_alive);
  BOOST_TEST(c.closed_by_server());
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  auto c = client();
  c.send_raw(
      "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /api/v1/nothing-here HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n");
  BOOST_TEST(c.read_response().status == 200);
  BOOST_TEST(c.read_response().status == 404);
  BOOST_TEST(c.read_response().status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
