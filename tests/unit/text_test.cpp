// domain text helpers: NFC, Unicode trimming, code point counting, strict UTF-8.
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <vector>

#include "domain/text.hpp"

using namespace usynys::domain;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(nfc_composes_i_with_breve_into_short_i) {
  // Cyrillic и (U+0438) + combining breve -> й (U+0439).
  BOOST_TEST(to_nfc("и\u0306") == "й");
  BOOST_TEST(to_nfc("и\u0306") == "\u0439");
  // Cyrillic е (U+0435) + combining breve -> ӗ (U+04D7), not й.
  BOOST_TEST(to_nfc("е\u0306") == "\u04d7");
  // Kazakh letters are precomposed already.
  BOOST_TEST(to_nfc("әғқңөұүһі") == "әғқңөұүһі");
  BOOST_TEST(to_nfc("Қазақстан") == "Қазақстан");
  BOOST_TEST(to_nfc("plain ascii") == "plain ascii");
  BOOST_TEST(to_nfc("") == "");
  // U+212B ANGSTROM SIGN is a singleton that NFC maps to U+00C5.
  BOOST_TEST(to_nfc("\u212b") == "\u00c5");
}

BOOST_AUTO_TEST_CASE(trim_removes_unicode_white_space_at_both_ends_only) {
  BOOST_TEST(trim("\u00a0\u2003 \t\ntext with  inner space\u3000\u2029\r\n") ==
             "text with  inner space");
  BOOST_TEST(trim("Қазақстан") == "Қазақстан");
  BOOST_TEST(trim(" \u00a0\u3000 ") == "");
  BOOST_TEST(trim("") == "");
  // U+200B ZERO WIDTH SPACE is not White_Space: it stays.
  BOOST_TEST(trim("\u200bx\u200b") == "\u200bx\u200b");
}

BOOST_AUTO_TEST_CASE(code_points_count_characters_not_bytes) {
  BOOST_TEST(code_points("") == 0u);
  BOOST_TEST(code_points("abc") == 3u);
  BOOST_TEST(code_points("Қазақстан") == 9u);
  BOOST_TEST(std::string("Қазақстан").size() == 18u);
  BOOST_TEST(code_points("😀") == 1u);
  BOOST_TEST(code_points("🇰🇿") == 2u);  // two regional indicators
  BOOST_TEST(code_points("и\u0306") == 2u);
}

BOOST_AUTO_TEST_CASE(valid_utf8_accepts_well_formed_text) {
  BOOST_TEST(valid_utf8(""));
  BOOST_TEST(valid_utf8("ascii"));
  BOOST_TEST(valid_utf8("Қазақстан ә ғ қ ң ө ұ ү һ і"));
  BOOST_TEST(valid_utf8("😀🇰🇿"));
  BOOST_TEST(valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  BOOST_TEST(valid_utf8("\xEF\xBF\xBD"));      // U+FFFD
}

BOOST_AUTO_TEST_CASE(valid_utf8_rejects_overlongs) {
  BOOST_TEST(!valid_utf8("\xC0\xAF"));  // "/" in two bytes
  BOOST_TEST(!valid_utf8("\xC1\xBF"));
  BOOST_TEST(!valid_utf8("\xE0\x80\xAF"));      // "/" in three bytes
  BOOST_TEST(!valid_utf8("\xF0\x80\x80\xAF"));  // "/" in four bytes
  BOOST_TEST(!valid_utf8(std::string("a\xC0\x80z", 4)));
}

BOOST_AUTO_TEST_CASE(valid_utf8_rejects_surrogates_and_out_of_range) {
  BOOST_TEST(!valid_utf8("\xED\xA0\x80"));              // U+D800
  BOOST_TEST(!valid_utf8("\xED\xBF\xBF"));              // U+DFFF
  BOOST_TEST(!valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair
  BOOST_TEST(!valid_utf8("\xF4\x90\x80\x80"));          // U+110000
  BOOST_TEST(!valid_utf8("\xF5\x80\x80\x80"));
}

BOOST_AUTO_TEST_CASE(valid_utf8_rejects_truncated_and_stray_bytes) {
  BOOST_TEST(!valid_utf8("\xD2"));        // lead byte of "Қ" alone
  BOOST_TEST(!valid_utf8("ab\xE2\x82"));  // truncated at the end
  BOOST_TEST(!valid_utf8("\x80"));        // continuation without lead
  BOOST_TEST(!valid_utf8("\xFF"));
  BOOST_TEST(!valid_utf8("\xFE\xFF"));
}

BOOST_AUTO_TEST_CASE(control_characters_other_than_tab_and_newlines_are_detected) {
  BOOST_TEST(!has_control_chars("line\nline\r\n\ttab"));
  BOOST_TEST(has_control_chars(std::string("a\0b", 3)));
  BOOST_TEST(has_control_chars("\x1b[31m"));
  BOOST_TEST(has_control_chars("\x7f"));
  BOOST_TEST(has_control_chars("\u0085"));  // C1 NEXT LINE
  BOOST_TEST(!has_control_chars("Қазақстан 😀"));
  // The edges of the two-byte range, decoded without ICU.
  BOOST_TEST(has_control_chars("\u0080"));
  BOOST_TEST(has_control_chars("text \u009f"));
  BOOST_TEST(!has_control_chars("\u00a0\u07ff"));
  BOOST_TEST(has_control_chars("\xC0\x80"));  // an overlong NUL
  BOOST_TEST(has_control_chars("ok\xD2"));    // a lead byte at the end
  BOOST_TEST(has_control_chars("\xD2z"));     // a lead byte without its continuation
  BOOST_TEST(has_any_control_char("\u0085"));
  BOOST_TEST(!has_any_control_char("Қ\u00a0"));
}

BOOST_AUTO_TEST_CASE(code_points_of_malformed_text_count_as_icu_decodes_them) {
  BOOST_TEST(code_points("\xD2") == 1u);
  BOOST_TEST(code_points("a\x80\x80"
                         "b") == 4u);
  BOOST_TEST(code_points("\xE2\x82") == 1u);
}

BOOST_AUTO_TEST_CASE(join_puts_the_separator_between_items_only) {
  BOOST_TEST(join(std::vector<std::string>{}, ", ") == "");
  BOOST_TEST(join(std::vector<std::string>{"kk"}, ", ") == "kk");
  BOOST_TEST(join(std::set<std::string>{"ru", "en", "kk"}, ", ") == "en, kk, ru");
  BOOST_TEST(join(std::vector<std::string>{"", "a", ""}, ",") == ",a,");
}

BOOST_AUTO_TEST_CASE(normalize_text_is_nfc_then_trim) {
  BOOST_TEST(normalize_text("\u3000и\u0306\u00a0") == "й");
}

BOOST_AUTO_TEST_SUITE_END()
