// api::map_proposal: JSON body -> ProposalInput, naming every missing, unknown or mistyped field.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "api/proposal_dto.hpp"

namespace {

using nlohmann::json;
using usynys::domain::FieldError;

std::string fields(const std::vector<FieldError>& errors) {
  std::string s;
  for (const auto& e : errors) s += (s.empty() ? "" : " ") + e.field;
  return s;
}

json minimal() {
  return json::parse(R"({"submitter": {"type": "citizen"}, "articles": ["1"], "text": "t"})");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proposal_dto)

BOOST_AUTO_TEST_CASE(full_body_maps_every_field) {
  json body = json::parse(R"({
    "document": "kz-1995",
    "submitter": {"type": "party", "name": "Amanat", "region": "Almaty", "identifier": "880101300123"},
    "channel": "egov", "language": "kk", "kind": "amend",
    "articles": ["33", 41, {"article": "83-1", "paragraph": "2"}, {"article": 41, "paragraph": 3}],
    "text": "Қазақстан", "proposed_text": "Жаңа"})");
  std::vector<FieldError> errors;
  auto in = usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "");
  BOOST_TEST(in.document.value_or("") == "kz-1995");
  BOOST_TEST(in.submitter_type == "party");
  BOOST_TEST(in.submitter_name.value_or("") == "Amanat");
  BOOST_TEST(in.submitter_region.value_or("") == "Almaty");
  BOOST_TEST(in.identifier.value_or("") == "880101300123");
  BOOST_TEST(in.channel == "egov");
  BOOST_TEST(in.language.value_or("") == "kk");
  BOOST_TEST(in.kind == "amend");
  BOOST_TEST(in.text == "Қазақстан");
  BOOST_TEST(in.proposed_text.value_or("") == "Жаңа");
  BOOST_TEST_REQUIRE(in.articles.size() == 4u);
  BOOST_TEST(in.articles[0].article == "33");
  BOOST_TEST(in.articles[1].article == "41", "a JSON integer 41 means \"41\"");
  BOOST_TEST(!in.articles[1].paragraph.has_value());
  BOOST_TEST(in.articles[2].article == "83-1");
  BOOST_TEST(in.articles[2].paragraph.value_or("") == "2");
  BOOST_TEST(in.articles[3].article == "41");
  BOOST_TEST(in.articles[3].paragraph.value_or("") == "3");
  for (std::size_t i = 0; i < in.articles.size(); ++i) BOOST_TEST(in.articles[i].index == i);
}

BOOST_AUTO_TEST_CASE(defaults_apply_when_optional_fields_are_absent_or_null) {
  json body = minimal();
  body["channel"] = nullptr;
  body["language"] = nullptr;
  body["document"] = nullptr;
  std::vector<FieldError> errors;
  auto in = usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "");
  BOOST_TEST(in.channel == "web");
  BOOST_TEST(in.kind == "comment");
  BOOST_TEST(!in.language.has_value());
  BOOST_TEST(!in.document.has_value());
}

BOOST_AUTO_TEST_CASE(body_that_is_not_an_object_is_named_by_the_root_pointer) {
  for (const char* text : {"[]", "42", "\"text\"", "null"}) {
    std::vector<FieldError> errors;
    usynys::api::map_proposal(json::parse(text), errors);
    BOOST_TEST_REQUIRE(errors.size() == 1u, text);
    BOOST_TEST(errors[0].field == "");
  }
}

BOOST_AUTO_TEST_CASE(missing_required_fields_are_named) {
  std::vector<FieldError> errors;
  usynys::api::map_proposal(json::object(), errors);
  BOOST_TEST(fields(errors) == "/submitter /text", "articles may be left out: untagged");

  errors.clear();
  json body = minimal();
  body["submitter"] = json::object();
  usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "/submitter/type");
}

BOOST_AUTO_TEST_CASE(wrong_types_are_named) {
  json body = json::parse(R"({
    "document": 1, "submitter": {"type": 5, "name": [], "region": {}, "identifier": 880101300123},
    "channel": true, "language": 1, "kind": {}, "articles": ["1", true, 4.5, {"paragraph": "1"},
    {"article": "2", "paragraph": []}, null], "text": 12, "proposed_text": false})");
  std::vector<FieldError> errors;
  usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) ==
             "/document /submitter/type /submitter/name /submitter/region /submitter/identifier "
             "/channel /language /kind /articles/1 /articles/2 /articles/3/article "
             "/articles/4/paragraph /articles/5 /text /proposed_text");

  errors.clear();
  body = minimal();
  body["submitter"] = "citizen";
  body["articles"] = "41";
  usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "/submitter /articles");
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_named_with_escaped_pointers) {
  json body = minimal();
  body["txet"] = "x";
  body["a/b~c"] = 1;
  body["submitter"]["iin"] = "880101300123";
  body["articles"] = json::parse(R"([{"article": "1", "para": "2"}])");
  std::vector<FieldError> errors;
  usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "/a~1b~0c /txet /submitter/iin /articles/0/para");
}

BOOST_AUTO_TEST_CASE(article_count_is_checked_while_mapping) {
  json body = minimal();
  body["articles"] = json::array();
  std::vector<FieldError> errors;
  usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "", "no article: untagged");

  body["articles"] = json::array();
  for (int i = 1; i <= 51; ++i) body["articles"].push_back(i);
  errors.clear();
  usynys::api::map_proposal(body, errors);
  BOOST_TEST(fields(errors) == "/articles");
}

BOOST_AUTO_TEST_CASE(stored_proposal_renders_id_as_string) {
  usynys::domain::StoredProposal p;
  p.id = 42;
  p.document = "kz-1995";
  p.articles = {"1", "83-1"};
  p.received_at = "2026-01-31T12:00:00.000000Z";
  p.receipt = "0000-0000-0000-0000-0000-0000-0000-0042";
  json j = usynys::api::stored_proposal_json(p);
  BOOST_TEST(j["receipt"] == "0000-0000-0000-0000-0000-0000-0000-0042");
  BOOST_TEST(j["id"] == "42");
  BOOST_TEST(j["status"] == "received");
  BOOST_TEST(j["document"] == "kz-1995");
  BOOST_TEST(j["articles"] == json::parse(R"(["1", "83-1"])"));
  BOOST_TEST(j["received_at"] == "2026-01-31T12:00:00.000000Z");
}

BOOST_AUTO_TEST_SUITE_END()
