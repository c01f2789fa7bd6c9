// Unit tier: domain rules, text helpers, coverage math, configuration, JSON and query mapping,
// and the API description's completeness. No network, no database.
#define BOOST_TEST_MODULE usynys_unit
#include <boost/test/unit_test.hpp>
