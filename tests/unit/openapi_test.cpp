// The API description (service/api/openapi.json, served at /api/v1/openapi.json) documents every
// route the router serves, under the same path pattern and lower-case method.
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api.hpp"
#include "support/paths.hpp"

BOOST_AUTO_TEST_SUITE(openapi_description)

BOOST_AUTO_TEST_CASE(every_route_is_described) {
  const auto file = usynys::test::source_file("service/api/openapi.json");
  std::ifstream in(file);
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot read service/api/openapi.json");
  nlohmann::json spec = nlohmann::json::parse(in);
  BOOST_TEST(spec.value("openapi", "").starts_with("3."));
  BOOST_TEST_REQUIRE(spec.contains("paths"));
  const nlohmann::json& paths = spec["paths"];

  const auto routes = usynys::api::Api::routes();
  BOOST_TEST_REQUIRE(!routes.empty());
  for (const auto& route : routes) {
    std::string method;
    for (char c : route.method)
      method += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool described = paths.contains(route.pattern) && paths[route.pattern].is_object() &&
                           paths[route.pattern].contains(method);
    BOOST_TEST(described,
               "service/api/openapi.json lacks paths[\"" << route.pattern << "\"]." << method);
  }
}

BOOST_AUTO_TEST_SUITE_END()
