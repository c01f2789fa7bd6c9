// Comparing texts: stemmed words, the article map suggested between two documents, article
// suggestions for a proposal and the vocabulary they use.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "match/article_map.hpp"
#include "match/suggest.hpp"
#include "match/terms.hpp"
#include "match/vocabulary.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"

namespace {

using usynys::domain::Article;
using usynys::domain::Document;
using usynys::match::ArticleIndex;
using usynys::match::Vocabulary;

// The best article for `text` in `language`.
std::string best(const ArticleIndex& index, const std::string& text, const std::string& language) {
  const auto ranked = index.rank(text, language, 1);
  return ranked.empty() ? std::string() : ranked.front().article;
}

// A document of one section whose articles have these texts (ids "1", "2", ...), in `language`.
Document document(const std::string& slug, const std::vector<std::string>& texts,
                  const std::string& language = "en") {
  Document d;
  d.slug = slug;
  d.language = language;
  d.languages = {language};
  d.sections = {{1, "I", "One"}};
  int position = 0;
  for (const std::string& t : texts) {
    Article a;
    a.id = std::to_string(++position);
    a.position = position;
    a.section = 1;
    a.text = t;
    a.texts = {{language, t}};
    a.chars = static_cast<std::int64_t>(t.size());
    d.articles.push_back(std::move(a));
  }
  d.index();
  return d;
}

const std::vector<std::string> kOld = {
    "The President is elected for a term of seven years by universal suffrage.",
    "Citizenship is acquired and terminated in accordance with the constitutional law.",
    "Every person has the right to freedom of speech and creative activity.",
    "Land and its subsoil, waters, flora and fauna are owned by the people.",
    "The Parliament consists of two chambers: the Senate and the Mazhilis.",
    "Judges are independent and subordinate only to the Constitution and the law.",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(match_terms)

BOOST_AUTO_TEST_CASE(russian_words_are_lowercased_stemmed_and_yo_is_e) {
  const auto a = usynys::match::stems("Конституции Республики", "ru");
  const auto b = usynys::match::stems("конституция республика", "ru");
  BOOST_TEST(a == b);
  BOOST_TEST(usynys::match::stems("Её", "ru") == usynys::match::stems("ее", "ru"));
}

BOOST_AUTO_TEST_CASE(english_is_stemmed_other_languages_keep_their_words) {
  BOOST_TEST(usynys::match::stems("elections elected", "en") ==
             (std::vector<std::string>{"elect", "elect"}));
  BOOST_TEST(usynys::match::stems("Жер, жерді!", "xx") ==
             (std::vector<std::string>{"жер", "жерді"}));
  // Kazakh inflections go, down to three letters.
  BOOST_TEST(usynys::match::stems("жерді жерлерінің Президенттің", "kk") ==
             (std::vector<std::string>{"жер", "жер", "президент"}));
}

BOOST_AUTO_TEST_CASE(kazakh_look_alike_letters_and_voiced_endings_meet_the_plain_word) {
  // The Latin i and the schwa typed for і and ә.
  BOOST_TEST(usynys::match::stems("Үкiмет жəне", "kk") ==
             usynys::match::stems("Үкімет және", "kk"));
  // құқығы and құқықтары are forms of құқық; -лық adjectives meet their noun.
  BOOST_TEST(usynys::match::stems("құқығы құқықтары құқықтық", "kk") ==
             (std::vector<std::string>{"құқық", "құқық", "құқық"}));
  BOOST_TEST(usynys::match::stems("мемлекеттік мемлекеттегі", "kk") ==
             (std::vector<std::string>{"мемлекет", "мемлекет"}));
}

BOOST_AUTO_TEST_CASE(punctuation_splits_and_one_letter_words_go) {
  BOOST_TEST(usynys::match::stems("a b-83-1, (c) de", "xx") ==
             (std::vector<std::string>{"83", "de"}));
  BOOST_TEST(usynys::match::stems("", "ru").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(match_article_map)

BOOST_AUTO_TEST_CASE(renumbered_articles_find_their_predecessors) {
  const Document from = document("old", kOld);
  // Citizenship moves first, the President's term is reworded, a new article comes in.
  const Document to = document(
      "new", {"Citizenship of the Republic is acquired and terminated in accordance with the "
              "constitutional law.",
              "The President is elected for a single term of seven years by universal suffrage.",
              "The Kurultai is a unicameral body; deputies sit for five years in a quiet hall.",
              "Every person has the right to freedom of speech and of creative activity.",
              "Judges are independent and subordinate only to the Constitution and the law."});
  const auto map = usynys::match::suggest_map(from, to, "en");
  BOOST_TEST_REQUIRE(map.size() == 5u);
  BOOST_TEST(map[0].article == "1");
  BOOST_TEST(map[0].predecessors == (std::vector<std::string>{"2"}));
  BOOST_TEST(map[1].predecessors == (std::vector<std::string>{"1"}));
  BOOST_TEST(map[2].predecessors.empty(), "a new article has none");
  BOOST_TEST(map[3].predecessors == (std::vector<std::string>{"3"}));
  BOOST_TEST(map[4].predecessors == (std::vector<std::string>{"6"}));
  for (const auto& s : map) {
    BOOST_TEST(s.score >= 0.0);
    BOOST_TEST(s.score <= 1.0);
    BOOST_TEST_REQUIRE(!s.candidates.empty());
    for (std::size_t i = 1; i < s.candidates.size(); ++i) {
      BOOST_TEST(s.candidates[i - 1].score >= s.candidates[i].score);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_merged_article_names_every_predecessor_best_first) {
  const Document from = document("old", kOld);
  const Document to = document(
      "new", {"The Parliament consists of two chambers: the Senate and the Mazhilis. Judges are "
              "independent and subordinate only to the Constitution and the law, and the "
              "Parliament cannot instruct them."});
  const auto map = usynys::match::suggest_map(from, to, "en");
  BOOST_TEST_REQUIRE(map.size() == 1u);
  BOOST_TEST(map[0].predecessors.size() == 2u);
  BOOST_TEST(map[0].predecessors.front() == "5");
  BOOST_TEST(map[0].predecessors.back() == "6");
}

BOOST_AUTO_TEST_CASE(repealed_articles_are_never_candidates_and_missing_texts_are_refused) {
  Document from = document("old", kOld);
  from.articles[1].repealed = true;
  from.index();
  const Document to = document(
      "new", {"Citizenship is acquired and terminated in accordance with the constitutional law."});
  const auto map = usynys::match::suggest_map(from, to, "en");
  BOOST_TEST_REQUIRE(map.size() == 1u);
  for (const auto& c : map[0].candidates) BOOST_TEST(c.article != "2");
  BOOST_CHECK_THROW(usynys::match::suggest_map(from, to, "ru"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(an_empty_older_document_makes_every_article_new) {
  const Document from = document("old", {});
  const Document to = document("new", {"Anything at all."});
  const auto map = usynys::match::suggest_map(from, to, "en");
  BOOST_TEST_REQUIRE(map.size() == 1u);
  BOOST_TEST(map[0].predecessors.empty());
  BOOST_TEST(map[0].candidates.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(match_suggest)

BOOST_AUTO_TEST_CASE(languages_are_told_apart_by_their_letters) {
  BOOST_TEST(usynys::match::detect_language("Жерді сатуға тыйым салу керек") == "kk");
  BOOST_TEST(usynys::match::detect_language("Запретить продажу земли") == "ru");
  BOOST_TEST(usynys::match::detect_language("Ban the sale of land") == "en");
  BOOST_TEST(usynys::match::detect_language("12345 !!!").empty());
}

BOOST_AUTO_TEST_CASE(a_kazakh_text_with_inflected_forms_finds_its_article) {
  Document d = document("kk-doc",
                        {"Жер және оның қойнауы, су көздері мемлекет меншігінде болады.",
                         "Республика Президенті жеті жыл мерзімге сайланады.",
                         "Әркімнің сөз бостандығына құқығы бар."},
                        "kk");
  const usynys::match::ArticleIndex index(d);
  const auto ranked = index.rank("Жерлерімізді шетелдіктерге сатпау керек, жердің иесі халық", "");
  BOOST_TEST_REQUIRE(ranked.size() == 3u);
  BOOST_TEST(ranked[0].article == "1");
  BOOST_TEST(ranked[0].score > ranked[1].score);
  for (const auto& s : ranked) {
    BOOST_TEST(s.score >= 0.0);
    BOOST_TEST(s.score <= 1.0);
  }
  BOOST_TEST(index.rank("Президентті жеті жылға сайлау дұрыс емес", "kk", 1).front().article ==
             "2");
  // A language the document lacks falls back to its reference language.
  BOOST_TEST(index.rank("сөз бостандығы", "ru", 1).front().article == "3");
}

BOOST_AUTO_TEST_CASE(paraphrases_with_no_word_of_the_article_find_it_through_the_vocabulary) {
  const Document ru = document("ru-doc",
                               {"Парламент состоит из двух палат: Сената и Мажилиса.",
                                "Каждый имеет право на жизнь. Никто не вправе произвольно лишать "
                                "человека жизни.",
                                "Граждане вправе собираться мирно и без оружия."},
                               "ru");
  Vocabulary vocabulary;
  vocabulary.articles["1"]["ru"] = {"нижняя палата", "верхняя палата"};
  vocabulary.articles["2"]["ru"] = {"смертная казнь", "высшая мера наказания"};
  const std::string text = "Предлагаю вернуть смертную казнь за терроризм и убийство детей";
  BOOST_TEST(best(ArticleIndex(ru), text, "ru") != "2");
  const ArticleIndex with(ru, vocabulary);
  BOOST_TEST(best(with, text, "ru") == "2");
  BOOST_TEST(best(with, "Нижнюю палату нужно выбирать только по округам", "ru") == "1");

  const Document en =
      document("en-doc", {"Taxes shall be paid by everyone.",
                          "The President of the Republic shall be elected for "
                          "seven years.",
                          "Everyone shall have the right to freedom of conscience."});
  Vocabulary en_vocabulary;
  en_vocabulary.articles["2"]["en"] = {"head of state", "presidential term"};
  en_vocabulary.articles["3"]["en"] = {"freedom of religion", "faith"};
  BOOST_TEST(best(ArticleIndex(en), "The head of state should not rule for life", "en") != "2");
  const ArticleIndex en_index(en, en_vocabulary);
  BOOST_TEST(best(en_index, "The head of state should not rule for life", "en") == "2");
  BOOST_TEST(best(en_index, "My faith must not be a reason to refuse me a job", "en") == "3");
  // Terms of another language do not count.
  BOOST_TEST(best(ArticleIndex(en, vocabulary), "смертная казнь", "en") != "2");
}

BOOST_AUTO_TEST_CASE(section_titles_and_cited_numbers_point_to_articles) {
  Document d = document("titled", {"Its members are elected for five years.",
                                   "Its members are elected for ten years."});
  d.sections = {{1, "I", "Parliament"}, {2, "II", "Courts"}};
  d.articles[1].section = 2;
  d.section_titles["en"] = {{1, "Parliament"}, {2, "Courts"}};
  d.index();
  const ArticleIndex index(d);
  BOOST_TEST(best(index, "Members of the courts should be paid more", "en") == "2");
  BOOST_TEST(best(index, "Members of parliament should be paid more", "en") == "1");
  BOOST_TEST(best(index, "Article 2 should say that members are paid more", "en") == "2");
  BOOST_TEST(best(index, "2 members for five years", "en") == "1", "a bare number cites nothing");
  BOOST_TEST(best(index, "Members: see 2-бап", "kk") == "2");
}

BOOST_AUTO_TEST_CASE(scores_stay_in_range_and_ranking_is_safe_from_several_threads) {
  const Document d = document("en-doc", kOld);
  const ArticleIndex index(d);
  const auto none = index.rank("zzz qqq", "en");
  BOOST_TEST_REQUIRE(none.size() == 5u);
  for (const auto& s : none) BOOST_TEST(s.score == 0.0);
  const std::string text = "The President should be elected for five years, not seven years.";
  const auto expected = index.rank(text, "en", 3);
  BOOST_TEST(expected.front().article == "1");
  BOOST_TEST(expected.front().score > 0.0);
  BOOST_TEST(expected.front().score <= 1.0);
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const auto got = index.rank(text, "en", 3);
        same[static_cast<std::size_t>(t)] += got.front().article == expected.front().article &&
                                             got.front().score == expected.front().score;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n : same) BOOST_TEST(n == 200);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(match_vocabulary)

namespace {

// The message load_vocabulary throws for a file holding `text`, for the three-article `doc`.
std::string refusal(const std::string& text) {
  const usynys::test::TempDir dir("usynys-vocabulary-test");
  Document doc = document("kz", {"One.", "Two.", "Three."});
  doc.articles[2].repealed = true;
  doc.index();
  const auto file = dir.write("v.vocabulary.json", text);
  try {
    usynys::match::load_vocabulary(file, doc);
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find(file.string()) != std::string::npos, what);
    return what;
  }
  BOOST_ERROR("expected std::runtime_error for " << text);
  return {};
}

bool says(const std::string& what, const std::string& part) {
  return what.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_good_file_loads) {
  const usynys::test::TempDir dir("usynys-vocabulary-test");
  const Document doc = document("kz", {"One.", "Two."});
  const auto file = dir.write(
      "v.json",
      R"({"document": "kz", "articles": {"2": {"en": ["two", "a pair"], "kk": ["екеу"]}}})");
  const Vocabulary v = usynys::match::load_vocabulary(file, doc);
  BOOST_TEST(v.articles.size() == 1u);
  BOOST_TEST(v.articles.at("2").at("en") == (std::vector<std::string>{"two", "a pair"}));
  BOOST_TEST(v.articles.at("2").at("kk") == (std::vector<std::string>{"екеу"}));
}

BOOST_AUTO_TEST_CASE(hostile_files_are_refused_with_what_is_wrong) {
  const std::string head = R"({"document": "kz", "articles": )";
  BOOST_TEST(says(refusal("{\"document\": "), "is not valid JSON"));
  BOOST_TEST(says(refusal("[]"), "must hold a JSON object"));
  BOOST_TEST(says(refusal(R"({"document": "other", "articles": {}})"), "document 'other'"));
  BOOST_TEST(
      says(refusal(R"({"document": "kz", "articles": {}, "extra": 1})"), "unknown key extra"));
  BOOST_TEST(says(refusal(head + "[]}"), "articles must be an object"));
  BOOST_TEST(says(refusal(head + R"({"999": {"en": ["x"]}}})"),
                  "article \"999\" is not an article of kz"));
  BOOST_TEST(says(refusal(head + R"({"3": {"en": ["x"]}}})"), "article \"3\" is repealed"));
  BOOST_TEST(
      says(refusal(head + R"({"1": {"de": ["x"]}}})"), "language \"de\" is not one of kk, ru, en"));
  BOOST_TEST(says(refusal(head + R"({"1": {"en": "x"}}})"), "must be an array of terms"));
  BOOST_TEST(says(refusal(head + R"({"1": {"en": ["x", 7]}}})"), "term 2 is not a string"));
  BOOST_TEST(says(refusal(head + R"({"1": {"en": [" "]}}})"), "term 1 is empty"));
  BOOST_TEST(says(refusal(head + R"({"1": {"en": [")" + std::string(201, 'a') + R"("]}}})"),
                  "term 1 is longer than 200 bytes"));
  BOOST_TEST(says(refusal(head + R"({"1": {"en": ["x", "x"]}}})"), "\"x\" appears twice"));
  std::string many = head + R"({"1": {"en": [)";
  for (int i = 0; i < 41; ++i) many += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  BOOST_TEST(says(refusal(many + "]}}}"), "has 41 terms, more than 40"));
}

BOOST_AUTO_TEST_CASE(the_shipped_vocabulary_covers_the_articles_in_every_language) {
  usynys::test::EnvGuard env;
  env.set("USYNYS_DATABASE_URL", "host=/nowhere dbname=x");
  const auto cfg = usynys::config::load(usynys::test::source_file("config/usynys.json"));
  const auto catalog = usynys::config::load_catalog(cfg.documents);
  const Document* doc = catalog.find("kz-1995");
  BOOST_TEST_REQUIRE(doc != nullptr);
  const Vocabulary v =
      usynys::match::load_vocabulary(cfg.documents.vocabularies.at("kz-1995"), *doc);
  int covered = 0;
  for (const auto& [id, languages] : v.articles) {
    covered +=
        languages.size() == 3 && std::all_of(languages.begin(), languages.end(),
                                             [](const auto& l) { return !l.second.empty(); });
  }
  BOOST_TEST(covered >= 90, covered << " articles have terms in kk, ru and en");
  const ArticleIndex index(*doc, v);
  BOOST_TEST(best(index, "Өлім жазасын қайтару керек", "kk") == "15");
  BOOST_TEST(best(index, "Смертную казнь надо вернуть", "ru") == "15");
  BOOST_TEST(best(index, "Bring back the death penalty", "en") == "15");
}

BOOST_AUTO_TEST_SUITE_END()
