// Pure checks (no server, no database): RFC 4180 field quoting and the IIN/BIN check digit.
#include <boost/test/unit_test.hpp>

#include "api/records.hpp"
#include "domain/proposal.hpp"

namespace {

using usynys::domain::ProposalInput;

usynys::domain::Document one_article_document() {
  usynys::domain::Document d;
  d.slug = "tiny";
  d.title = "Tiny";
  d.sections.push_back({1, "I", "Only"});
  usynys::domain::Article a;
  a.id = "1";
  a.position = 1;
  a.section = 1;
  a.text = "Text.";
  a.chars = 5;
  d.articles.push_back(a);
  d.index();
  return d;
}

std::string identifier_errors(const std::string& identifier) {
  static const usynys::domain::Document doc = one_article_document();
  ProposalInput in;
  in.submitter_type = "citizen";
  in.identifier = identifier;
  in.articles.push_back({"1", std::nullopt, 0});
  in.text = "A proposal.";
  usynys::domain::ValidProposal out;
  std::string fields;
  for (const auto& e : usynys::domain::validate(in, doc, out)) fields += e.field + " ";
  return fields;
}

std::string csv(std::string_view field) {
  std::string out;
  usynys::api::append_csv_field(out, field);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(staff_unit)

BOOST_AUTO_TEST_CASE(csv_fields_are_quoted_only_when_rfc_4180_needs_it) {
  BOOST_TEST(csv("plain") == "plain");
  BOOST_TEST(csv("") == "");
  BOOST_TEST(csv("Қазақ тілі 😀") == "Қазақ тілі 😀");
  BOOST_TEST(csv("a,b") == "\"a,b\"");
  BOOST_TEST(csv("say \"hi\"") == "\"say \"\"hi\"\"\"");
  BOOST_TEST(csv("line\nbreak") == "\"line\nbreak\"");
  BOOST_TEST(csv("cr\rhere") == "\"cr\rhere\"");
  BOOST_TEST(csv("\"") == "\"\"\"\"");
  BOOST_TEST(csv(" spaced ") == " spaced ");
}

BOOST_AUTO_TEST_CASE(csv_fields_never_start_a_spreadsheet_formula) {
  BOOST_TEST(csv("=1+2") == "'=1+2");
  BOOST_TEST(csv("+7 701") == "'+7 701");
  BOOST_TEST(csv("-1") == "'-1");
  BOOST_TEST(csv("@SUM(A1)") == "'@SUM(A1)");
  BOOST_TEST(csv("\tx") == "'\tx");
  BOOST_TEST(csv("\rx") == "\"'\rx\"");
  BOOST_TEST(csv("=HYPERLINK(\"http://x\",\"y\")") ==
             "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  BOOST_TEST(csv("a=b") == "a=b");
  BOOST_TEST(csv("'quoted") == "'quoted");
}

BOOST_AUTO_TEST_CASE(iin_bin_check_digits) {
  // Valid numbers: the first weighting, and one that needs the second.
  BOOST_TEST(identifier_errors("880101300123") == "");
  BOOST_TEST(identifier_errors("000000000000") == "");
  // Eleven ones: 1 + 2 + ... + 11 = 66, 66 % 11 = 0, so the check digit is 0.
  BOOST_TEST(identifier_errors("111111111110") == "");
  BOOST_TEST(identifier_errors("880101300124") == "/submitter/identifier ");
  BOOST_TEST(identifier_errors("111111111111") == "/submitter/identifier ");
  // 00000000010: the first weighting gives 10, the second 1 (weight 1 on the tenth digit).
  BOOST_TEST(identifier_errors("000000000101") == "");
  BOOST_TEST(identifier_errors("000000000100") == "/submitter/identifier ");
  // Not exactly twelve digits: no IIN/BIN check.
  BOOST_TEST(identifier_errors("88010130012") == "");
  BOOST_TEST(identifier_errors("8801013001234") == "");
  BOOST_TEST(identifier_errors("88010130012X") == "");
  BOOST_TEST(identifier_errors(" 880101300123 ") == "", "trimmed first");
  BOOST_TEST(identifier_errors(" 880101300124 ") == "/submitter/identifier ");
}

BOOST_AUTO_TEST_SUITE_END()
