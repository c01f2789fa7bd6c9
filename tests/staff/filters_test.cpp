// The staff list and the exports read the statistics' filters the same way: any RFC 3339 offset
// is answered (normalised to UTC before it reaches PostgreSQL), and a control character in any
// filter is a 422 naming it, never a value cut short on its way to libpq.
#include <boost/test/unit_test.hpp>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

const char* const kTargets[] = {"/api/v1/proposals", "/api/v1/export/proposals.csv",
                                "/api/v1/export/proposals.jsonl"};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_filters, StaffCase)

BOOST_AUTO_TEST_CASE(utc_offsets_up_to_23_59_are_answered_on_the_list_and_the_exports) {
  auto c = client();
  json body = proposal("Offsets", {"1"});
  body["submitter"]["region"] = "Almaty";
  post_proposal(c, body);
  for (const char* target : kTargets) {
    for (const char* query : {"?to=2999-12-01T20:00:00%2B16:00", "?from=2000-12-01T20:00:00-23:59",
                              "?to=2999-12-01T20:00:00.1234567%2B23:59&region=Almaty"}) {
      HttpResponse res = c.get(std::string(target) + query, bearer(tokens().analyst.secret));
      BOOST_TEST(res.status == 200, target << query << ": " << res.body);
      BOOST_TEST(res.body.find("Offsets") != std::string::npos, target << query);
    }
  }
  HttpResponse metrics = c.get("/metrics");
  BOOST_TEST(metrics.body.find("usynys_database_errors_total{kind=\"internal\"}") ==
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(control_characters_in_staff_filters_are_422_naming_them) {
  auto c = client();
  json body = proposal("Control characters", {"1"});
  body["submitter"]["region"] = "Almaty";
  post_proposal(c, body);
  const std::pair<const char*, const char*> cases[] = {{"?region=Almaty%00anything", "?region"},
                                                       {"?q=word%00", "?q"},
                                                       {"?article=1%00", "?article"},
                                                       {"?status=hidden%0A", "?status"}};
  for (const char* target : kTargets) {
    for (const auto& [query, field] : cases) {
      HttpResponse res = c.get(std::string(target) + query, bearer(tokens().analyst.secret));
      BOOST_TEST(res.status == 422, target << query << ": " << res.body);
      BOOST_TEST(res.body.find(std::string("\"field\":\"") + field + "\"") != std::string::npos,
                 target << query << ": " << res.body);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
