// Parsing Accept-Encoding and If-None-Match, and the gzip coder (the answers themselves are
// checked on the real server, tests/e2e/conventions_test.cpp).
#include <boost/test/unit_test.hpp>
#include <string>

#include "api/conventions.hpp"
#include "support/gzip.hpp"

BOOST_AUTO_TEST_SUITE(conventions)

BOOST_AUTO_TEST_CASE(accept_encoding_admits_gzip_by_name_or_wildcard) {
  using usynys::api::accepts_gzip;
  BOOST_TEST(accepts_gzip("gzip"));
  BOOST_TEST(accepts_gzip("deflate, gzip;q=0.8, br"));
  BOOST_TEST(accepts_gzip("GZIP ; Q=1.0"));
  BOOST_TEST(accepts_gzip("x-gzip"));
  BOOST_TEST(accepts_gzip("*"));
  BOOST_TEST(accepts_gzip("br, *;q=0.1"));
  BOOST_TEST(!accepts_gzip(""));
  BOOST_TEST(!accepts_gzip("identity"));
  BOOST_TEST(!accepts_gzip("br, deflate"));
  BOOST_TEST(!accepts_gzip("gzip;q=0"));
  BOOST_TEST(!accepts_gzip("gzip;q=0.000"));
  BOOST_TEST(!accepts_gzip("gzip;q=0, *"));  // refused by name, whatever the wildcard says
  BOOST_TEST(!accepts_gzip("*;q=0"));
  BOOST_TEST(!accepts_gzip("gzip;q=x"));  // a malformed q-value counts as a refusal
}

BOOST_AUTO_TEST_CASE(if_none_match_compares_weakly) {
  using usynys::api::none_match;
  BOOST_TEST(none_match("W/\"abc\"", "W/\"abc\""));
  BOOST_TEST(none_match("\"abc\"", "W/\"abc\""));
  BOOST_TEST(none_match("\"x\", W/\"abc\"", "W/\"abc\""));
  BOOST_TEST(none_match(" * ", "W/\"abc\""));
  BOOST_TEST(!none_match("", "W/\"abc\""));
  BOOST_TEST(!none_match("W/\"abd\"", "W/\"abc\""));
  BOOST_TEST(!none_match("abc", "W/\"abc\""));  // an unquoted value is no tag
}

BOOST_AUTO_TEST_CASE(gzip_round_trips) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "Статья " + std::to_string(i % 101) + ". ";
  const std::string packed = usynys::api::gzip(text);
  BOOST_TEST(packed.size() < text.size() / 4);
  BOOST_TEST(static_cast<unsigned char>(packed[0]) == 0x1f);  // the gzip magic
  BOOST_TEST(static_cast<unsigned char>(packed[1]) == 0x8b);
  BOOST_TEST(usynys::test::gunzip(packed) == text);
  BOOST_TEST(usynys::test::gunzip(usynys::api::gzip("")).empty());
  BOOST_CHECK_THROW(usynys::test::gunzip(packed.substr(0, packed.size() - 4)), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
