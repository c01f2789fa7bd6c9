#include "e2e_fixture.hpp"

#include <boost/test/results_collector.hpp>
#include <iostream>

namespace usynys::test {

CleanDatabase::CleanDatabase() {
  // TRUNCATE costs a few hundred milliseconds (it also resets the statistics aggregates), so
  // it runs only when an earlier case left proposals behind.
  if (db.count("SELECT count(*) FROM (SELECT 1 FROM proposals LIMIT 1) AS any_row") > 0) {
    db.truncate_proposals();
  }
}

E2eCase::E2eCase() {
  shared_server();  // throws, failing the case, when there is no server
  output_at_start = shared_server().output().size();
}

E2eCase::~E2eCase() {
  namespace ut = boost::unit_test;
  const auto id = ut::framework::current_test_case().p_id;
  if (!ut::results_collector.results(id).passed()) {
    std::string out;
    try {
      out = shared_server().output();
    } catch (const std::exception& e) {
      out = std::string(e.what()) + "\n";
    }
    std::cerr << "---- usynys output during this case ----\n"
              << out.substr(std::min(output_at_start, out.size())) << "---- end ----" << std::endl;
  }
}

void check_problem(const HttpResponse& res, int status) {
  BOOST_TEST(res.status == status, "status " << res.status << ", body " << res.body);
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/problem+json"),
             "Content-Type " << res.header("Content-Type").value_or("<none>"));
  nlohmann::json j;
  try {
    j = res.json();
  } catch (const std::exception& e) {
    BOOST_ERROR(e.what());
    return;
  }
  BOOST_TEST(j.is_object());
  BOOST_TEST((j.contains("type") && j["type"].is_string()), "problem.type in " << res.body);
  BOOST_TEST((j.contains("title") && j["title"].is_string()), "problem.title in " << res.body);
  BOOST_TEST((j.contains("detail") && j["detail"].is_string()), "problem.detail in " << res.body);
  BOOST_TEST((j.contains("status") && j["status"] == status), "problem.status in " << res.body);
}

std::string problem_fields(const HttpResponse& res) {
  std::string s;
  nlohmann::json j = res.json();
  if (!j.contains("errors") || !j["errors"].is_array()) return "<no errors[]>";
  for (const auto& e : j["errors"]) {
    s += (s.empty() ? "" : " ") + e.value("field", std::string("<no field>"));
  }
  return s;
}

nlohmann::json proposal(nlohmann::json articles) {
  return {{"submitter", {{"type", "citizen"}}},
          {"articles", std::move(articles)},
          {"text", "A proposal."}};
}

}  // namespace usynys::test
