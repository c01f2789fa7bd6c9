// Receipt codes: 160 bits in Crockford's base32, eight groups of four, read back as people type.
#include <boost/test/unit_test.hpp>
#include <regex>
#include <string>

#include "domain/receipt.hpp"

using namespace usynys::domain;

BOOST_AUTO_TEST_SUITE(receipt)

BOOST_AUTO_TEST_CASE(a_code_shows_every_bit_and_reads_back_to_the_same_bytes) {
  std::string raw;
  for (std::size_t i = 0; i < kReceiptBytes; ++i) raw += static_cast<char>(i * 37 + 11);
  const std::string code = format_receipt(raw);
  BOOST_TEST(std::regex_match(code, std::regex("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}")),
             code);
  BOOST_TEST((parse_receipt(code) == raw));
  BOOST_TEST(format_receipt(std::string(kReceiptBytes, '\0')) ==
             "0000-0000-0000-0000-0000-0000-0000-0000");
  BOOST_TEST(format_receipt(std::string(kReceiptBytes, '\xff')) ==
             "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
  // One bit changed changes the code.
  std::string flipped = raw;
  flipped[19] = static_cast<char>(flipped[19] ^ 1);
  BOOST_TEST(format_receipt(flipped) != code);
}

BOOST_AUTO_TEST_CASE(a_code_is_read_as_a_person_types_it) {
  const std::string raw(kReceiptBytes, '\x42');
  const std::string code = format_receipt(raw);
  std::string typed;
  for (char c : code) {
    if (c != '-') typed += static_cast<char>(std::tolower(c));
  }
  BOOST_TEST((parse_receipt(typed) == raw));
  BOOST_TEST((parse_receipt("oooo oooo oooo oooo oooo oooo oooo oooo") ==
              std::string(kReceiptBytes, '\0')));
  BOOST_TEST((parse_receipt("IIII-LLLL-1111-iiii-llll-1111-IIII-LLLL") ==
              parse_receipt("1111-1111-1111-1111-1111-1111-1111-1111")));
}

BOOST_AUTO_TEST_CASE(anything_else_is_no_code) {
  const std::string code = format_receipt(std::string(kReceiptBytes, '\x42'));
  BOOST_TEST(!parse_receipt(""));
  BOOST_TEST(!parse_receipt(code.substr(0, code.size() - 1)), "a character short");
  BOOST_TEST(!parse_receipt(code + "0"), "a character over");
  BOOST_TEST(!parse_receipt("U" + code.substr(1)), "U is not in the alphabet");
  BOOST_TEST(!parse_receipt(code.substr(0, 5) + "_" + code.substr(6)));
  BOOST_TEST(!parse_receipt(std::string(100, '-') + code), "too long to be typed");
  BOOST_TEST(!parse_receipt("\xd0\x90" + code.substr(1)));
}

BOOST_AUTO_TEST_SUITE_END()
