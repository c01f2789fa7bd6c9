// domain::validate: every rule of a submission, each reported as a JSON Pointer, all at once.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "domain/proposal.hpp"
#include "domain/text.hpp"
#include "sample_document.hpp"

namespace {

using usynys::domain::ArticleRef;
using usynys::domain::FieldError;
using usynys::domain::ProposalInput;
using usynys::domain::ValidProposal;

const usynys::domain::Document& doc() {
  static const usynys::domain::Document d = usynys::test::sample_document();
  return d;
}

ProposalInput valid_input() {
  ProposalInput in;
  in.submitter_type = "citizen";
  in.articles = {{"1", std::nullopt, 0}};
  in.text = "A proposal.";
  return in;
}

std::vector<ArticleRef> refs(const std::vector<std::string>& ids) {
  std::vector<ArticleRef> out;
  for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], std::nullopt, i});
  return out;
}

// "field1 field2 ..." of the errors, in order.
std::string fields(const std::vector<FieldError>& errors) {
  std::string s;
  for (const auto& e : errors) s += (s.empty() ? "" : " ") + e.field;
  return s;
}

std::vector<FieldError> check(const ProposalInput& in) {
  ValidProposal out;
  return usynys::domain::validate(in, doc(), out);
}

std::string repeat(const std::string& unit, std::size_t n) {
  std::string s;
  s.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(validate)

BOOST_AUTO_TEST_CASE(minimal_citizen_proposal_is_valid_with_defaults) {
  ValidProposal out;
  auto errors = usynys::domain::validate(valid_input(), doc(), out);
  BOOST_TEST(fields(errors) == "");
  BOOST_TEST(out.document == "sample");
  BOOST_TEST(out.channel == "web");
  BOOST_TEST(out.kind == "comment");
  BOOST_TEST(!out.language.has_value());
  BOOST_TEST(out.articles.size() == 1u);
  BOOST_TEST(out.text == "A proposal.");
}

BOOST_AUTO_TEST_CASE(every_submitter_type_is_accepted) {
  for (const char* type : {"citizen", "party", "organization", "expert", "state_body"}) {
    ProposalInput in = valid_input();
    in.submitter_type = type;
    in.submitter_name = "Name";
    BOOST_TEST(fields(check(in)) == "", "submitter type " << type);
  }
}

BOOST_AUTO_TEST_CASE(unknown_submitter_type_is_refused) {
  for (const char* type : {"alien", "", "Citizen", "state-body"}) {
    ProposalInput in = valid_input();
    in.submitter_type = type;
    BOOST_TEST(fields(check(in)) == "/submitter/type", "submitter type '" << type << "'");
  }
}

BOOST_AUTO_TEST_CASE(name_is_required_for_every_type_but_citizen) {
  for (const char* type : {"party", "organization", "expert", "state_body"}) {
    ProposalInput in = valid_input();
    in.submitter_type = type;
    auto errors = check(in);
    BOOST_TEST(fields(errors) == "/submitter/name", "submitter type " << type);
  }
  BOOST_TEST(fields(check(valid_input())) == "");
}

BOOST_AUTO_TEST_CASE(blank_name_is_refused_and_names_are_trimmed) {
  ProposalInput in = valid_input();
  in.submitter_type = "party";
  in.submitter_name = " \u00a0\u3000 ";
  BOOST_TEST(fields(check(in)) == "/submitter/name");

  in.submitter_name = "\u2003Amanat\u00a0";
  ValidProposal out;
  BOOST_TEST(fields(usynys::domain::validate(in, doc(), out)) == "");
  BOOST_TEST(out.submitter_name.value_or("") == "Amanat");
}

BOOST_AUTO_TEST_CASE(name_with_control_characters_or_line_breaks_is_refused) {
  ProposalInput in = valid_input();
  in.submitter_name = "Dana\x01B.";
  BOOST_TEST(fields(check(in)) == "/submitter/name");
  in.submitter_name = "Dana\nB.";
  BOOST_TEST(fields(check(in)) == "/submitter/name");
}

BOOST_AUTO_TEST_CASE(channel_must_be_one_of_six) {
  for (const char* ch : {"web", "e-otinish", "egov", "email", "mail", "hearing"}) {
    ProposalInput in = valid_input();
    in.channel = ch;
    BOOST_TEST(fields(check(in)) == "", "channel " << ch);
  }
  ProposalInput in = valid_input();
  in.channel = "fax";
  BOOST_TEST(fields(check(in)) == "/channel");
}

BOOST_AUTO_TEST_CASE(language_is_optional_and_one_of_kk_ru_en) {
  for (const char* lang : {"kk", "ru", "en"}) {
    ProposalInput in = valid_input();
    in.language = lang;
    BOOST_TEST(fields(check(in)) == "", "language " << lang);
  }
  ProposalInput in = valid_input();
  in.language = "de";
  BOOST_TEST(fields(check(in)) == "/language");
  in.language = "KK";
  BOOST_TEST(fields(check(in)) == "/language");
}

BOOST_AUTO_TEST_CASE(kind_must_be_one_of_four) {
  for (const char* kind : {"amend", "repeal", "add", "comment"}) {
    ProposalInput in = valid_input();
    in.kind = kind;
    BOOST_TEST(fields(check(in)) == "", "kind " << kind);
  }
  ProposalInput in = valid_input();
  in.kind = "delete";
  BOOST_TEST(fields(check(in)) == "/kind");
}

BOOST_AUTO_TEST_CASE(articles_number_zero_to_fifty) {
  ProposalInput in = valid_input();
  in.articles.clear();
  BOOST_TEST(fields(check(in)) == "", "untagged");

  std::vector<std::string> ids;
  for (int n = 1; n <= 51; ++n) ids.push_back(std::to_string(n == 84 ? 99 : n));
  in.articles = refs(std::vector<std::string>(ids.begin(), ids.begin() + 50));
  BOOST_TEST(fields(check(in)) == "", "50 distinct articles");
  in.articles = refs(ids);
  BOOST_TEST(fields(check(in)) == "/articles", "51 articles");
}

BOOST_AUTO_TEST_CASE(unknown_article_is_named_by_its_index) {
  ProposalInput in = valid_input();
  in.articles = refs({"1", "100", "83-2", "0"});
  auto errors = check(in);
  BOOST_TEST(fields(errors) == "/articles/1 /articles/2 /articles/3");
  BOOST_TEST(errors.at(0).message.find("100") != std::string::npos, errors.at(0).message);
}

BOOST_AUTO_TEST_CASE(repealed_article_84_cannot_be_targeted) {
  ProposalInput in = valid_input();
  in.articles = refs({"84"});
  auto errors = check(in);
  BOOST_TEST(fields(errors) == "/articles/0");
  BOOST_TEST(errors.at(0).message.find("repealed") != std::string::npos, errors.at(0).message);

  in.articles = {{"84", "1", 0}};
  BOOST_TEST(fields(check(in)) == "/articles/0");
}

BOOST_AUTO_TEST_CASE(subnumbered_article_83_1_can_be_targeted) {
  ProposalInput in = valid_input();
  in.articles = refs({"83-1", "83", "85"});
  BOOST_TEST(fields(check(in)) == "");
}

BOOST_AUTO_TEST_CASE(paragraph_must_be_one_of_the_article_labels) {
  ProposalInput in = valid_input();
  in.articles = {{"41", "3-1", 0}};
  BOOST_TEST(fields(check(in)) == "", "41 has paragraph 3-1");
  in.articles = {{"41", "7", 0}};
  auto errors = check(in);
  BOOST_TEST(fields(errors) == "/articles/0/paragraph", "41 has no paragraph 7");
  BOOST_TEST(errors.at(0).message.find("7") != std::string::npos);
  in.articles = {{"1", "3-1", 0}};
  BOOST_TEST(fields(check(in)) == "/articles/0/paragraph", "1 has no paragraph 3-1");
}

BOOST_AUTO_TEST_CASE(duplicate_article_is_refused_at_its_second_reference) {
  ProposalInput in = valid_input();
  in.articles = refs({"41", "1", "41"});
  BOOST_TEST(fields(check(in)) == "/articles/2");
  in.articles = {{"41", std::nullopt, 0}, {"41", "3-1", 1}};
  BOOST_TEST(fields(check(in)) == "/articles/1", "a paragraph reference repeats its article");
}

BOOST_AUTO_TEST_CASE(error_pointers_use_the_submitted_index) {
  ProposalInput in = valid_input();
  in.articles = {{"1", std::nullopt, 0}, {"999", std::nullopt, 3}};
  BOOST_TEST(fields(check(in)) == "/articles/3");
}

BOOST_AUTO_TEST_CASE(text_empty_after_trimming_is_refused) {
  for (const char* blank : {"", " ", "\n\t ", "\u00a0\u2003\u3000\u2029"}) {
    ProposalInput in = valid_input();
    in.text = blank;
    BOOST_TEST(fields(check(in)) == "/text", "text made of white space only");
    in = valid_input();
    in.proposed_text = blank;
    BOOST_TEST(fields(check(in)) == "/proposed_text");
  }
}

BOOST_AUTO_TEST_CASE(text_limit_is_20000_code_points_not_bytes) {
  // Kazakh letters are 2 bytes, the emoji 4: 20,000 code points are far more than 20,000 bytes.
  const std::string kazakh = "әғқңөұүһі";              // 9 code points
  std::string at_limit = repeat(kazakh, 2222) + "😀😀";  // 19,998 + 2
  BOOST_REQUIRE(usynys::domain::code_points(at_limit) == 20000u);
  BOOST_REQUIRE(at_limit.size() > 40000u);
  ProposalInput in = valid_input();
  in.text = at_limit;
  BOOST_TEST(fields(check(in)) == "", "20,000 code points");
  in.text = "  " + at_limit + "\u3000\n";
  BOOST_TEST(fields(check(in)) == "", "20,000 code points plus surrounding white space");

  in.text = at_limit + "қ";
  auto errors = check(in);
  BOOST_TEST(fields(errors) == "/text", "20,001 code points");
  BOOST_TEST(errors.at(0).message.find("20001") != std::string::npos, errors.at(0).message);

  in = valid_input();
  in.proposed_text = at_limit;
  BOOST_TEST(fields(check(in)) == "");
  in.proposed_text = at_limit + "😀";
  BOOST_TEST(fields(check(in)) == "/proposed_text");
}

BOOST_AUTO_TEST_CASE(text_length_is_counted_after_nfc) {
  // "и" + combining breve is 2 code points and becomes "й" (1) under NFC.
  ProposalInput in = valid_input();
  in.text = repeat("и\u0306", 20000);
  ValidProposal out;
  BOOST_TEST(fields(usynys::domain::validate(in, doc(), out)) == "");
  BOOST_TEST((out.text == repeat("й", 20000)), "the text is stored in NFC");
  in.text = repeat("и\u0306", 20001);
  BOOST_TEST(fields(check(in)) == "/text");
}

BOOST_AUTO_TEST_CASE(valid_proposal_holds_nfc_trimmed_text) {
  ProposalInput in = valid_input();
  in.text = "\u3000 Қазақстан ә ғ қ ң ө ұ ү һ і и\u0306 😀\n ";
  in.proposed_text = " Жаңа мәтін ";
  ValidProposal out;
  BOOST_TEST(fields(usynys::domain::validate(in, doc(), out)) == "");
  BOOST_TEST(out.text == "Қазақстан ә ғ қ ң ө ұ ү һ і й 😀");
  BOOST_TEST(out.proposed_text.value_or("") == "Жаңа мәтін");
}

BOOST_AUTO_TEST_CASE(text_with_control_characters_is_refused) {
  ProposalInput in = valid_input();
  in.text = "line one\nline two\ttabbed";
  BOOST_TEST(fields(check(in)) == "");
  in.text = std::string("nul\0inside", 10);
  BOOST_TEST(fields(check(in)) == "/text");
  in.text = "bell\x07";
  BOOST_TEST(fields(check(in)) == "/text");
}

BOOST_AUTO_TEST_CASE(identifier_is_bounded) {
  ProposalInput in = valid_input();
  in.identifier = "880101300123";
  ValidProposal out;
  BOOST_TEST(fields(usynys::domain::validate(in, doc(), out)) == "");
  BOOST_TEST(out.identifier.value_or("") == "880101300123");
  in.identifier = std::string(65, '1');
  BOOST_TEST(fields(check(in)) == "/submitter/identifier");
  in.identifier = "  ";
  BOOST_TEST(fields(check(in)) == "/submitter/identifier");
}

BOOST_AUTO_TEST_CASE(every_error_is_reported_at_once) {
  ProposalInput in;
  in.submitter_type = "party";  // and no name
  in.submitter_region = "  ";
  in.channel = "fax";
  in.language = "de";
  in.kind = "delete";
  in.articles = {{"84", std::nullopt, 0},
                 {"999", std::nullopt, 1},
                 {"41", "7", 2},
                 {"1", std::nullopt, 3},
                 {"1", std::nullopt, 4}};
  in.text = " ";
  in.proposed_text = repeat("ы", 20001);
  BOOST_TEST(fields(check(in)) ==
             "/submitter/name /submitter/region /channel /language /kind /articles/0 /articles/1 "
             "/articles/2/paragraph /articles/4 /text /proposed_text");
}

BOOST_AUTO_TEST_SUITE_END()
