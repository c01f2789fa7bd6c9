// Near-duplicate signatures: normalisation, exact and estimated Jaccard, and the bands that find
// candidates: each kind of edit a campaign's copies carry keeps a copy close to its letter, and
// two different letters on one subject stay apart.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>
#include <string>

#include "match/near_duplicates.hpp"

namespace {

using usynys::match::estimated_jaccard;
using usynys::match::jaccard;
using usynys::match::signature;
using usynys::match::TextSignature;

const std::string kLetter =
    "Мы, жители нашего района, просим сохранить в Конституции норму о том, что земля и её недра "
    "принадлежат народу. Земля не должна продаваться иностранцам ни под каким предлогом. "
    "Государство обязано охранять землю от распродажи и спекуляции. Просим комиссию учесть наше "
    "мнение при подготовке поправок.";

const std::string kOtherLetter =
    "Предлагаем разрешить продажу сельскохозяйственной земли гражданам республики в частную "
    "собственность, потому что аренда не даёт фермерам вкладываться в землю. Земля должна "
    "иметь хозяина, а государство должно только следить за её целевым использованием.";

bool share_a_band(const TextSignature& a, const TextSignature& b) {
  if (!a.comparable() || !b.comparable()) return false;
  for (std::size_t i = 0; i < a.bands.size(); ++i) {
    if (a.bands[i] == b.bands[i]) return true;
  }
  return false;
}

void check_close(const std::string& copy, const std::string& what) {
  const TextSignature a = signature(kLetter);
  const TextSignature b = signature(copy);
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(jaccard(a, b) >= 0.6, jaccard(a, b));
    BOOST_TEST(share_a_band(a, b));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(near_duplicates)

BOOST_AUTO_TEST_CASE(case_spacing_punctuation_and_numbers_do_not_change_the_signature) {
  const TextSignature a = signature("Статья 41: срок — ПЯТЬ лет!");
  const TextSignature b = signature("  статья   41 срок пять лет 2026 ");
  BOOST_TEST(a.exact == b.exact);
  BOOST_TEST(jaccard(a, b) == 1.0);
  BOOST_TEST(a.bands == b.bands);
  // Decomposed й (и + combining breve) is the composed one after NFC; ё is е.
  BOOST_TEST(signature("мой ёж").exact == signature("мои\xcc\x86 еж").exact);
  BOOST_TEST(signature("Жер ХАЛЫҚҚА тиесілі").exact == signature("жер халыққа тиесілі").exact);
}

BOOST_AUTO_TEST_CASE(each_kind_of_edit_keeps_a_copy_close_to_its_letter) {
  check_close("Здравствуйте! " + kLetter + " С уважением, Айгерим.", "greeting and signature");
  check_close(kLetter + " Также прошу обратить внимание на пастбища вокруг нашего села.",
              "a sentence added");
  check_close(
      "Мы, жители нашего района, просим сохранить в Конституции норму о том, что земля и её "
      "недра принадлежат народу. Земля не должна продаваться иностранцам ни под каким "
      "предлогом. Просим комиссию учесть наше мнение при подготовке поправок.",
      "a sentence dropped");
  check_close(
      "Мы, жители нашего района, просим оставить в Конституции норму о том, что земля и её недра "
      "принадлежат народу. Земля не должна продаваться иностранцам ни под каким предлогом. "
      "Государство обязано защищать землю от распродажи и спекуляции. Просим комиссию учесть наше "
      "мнение при подготовке изменений.",
      "words swapped for synonyms");
  check_close(
      "Земля не должна продаваться иностранцам ни под каким предлогом. Мы, жители нашего района, "
      "просим сохранить в Конституции норму о том, что земля и её недра принадлежат народу. "
      "Просим комиссию учесть наше мнение при подготовке поправок. Государство обязано охранять "
      "землю от распродажи и спекуляции.",
      "sentences reordered");
  check_close(
      "Мы, жители нашего раиона, просим сохранить в Конституции норму о том, что земля и её недра "
      "принадлежат народу. Земля не должна продоваться иностранцам ни под каким предлогом. "
      "Государство обязано охранять землю от распродажи и спекуляции. Просим комиссию учесть наше "
      "мнение при подготовке поправок.",
      "typos");
}

BOOST_AUTO_TEST_CASE(two_letters_on_one_subject_stay_apart) {
  const TextSignature a = signature(kLetter);
  const TextSignature b = signature(kOtherLetter);
  BOOST_TEST(jaccard(a, b) < 0.1, jaccard(a, b));
  BOOST_TEST(!share_a_band(a, b));
}

BOOST_AUTO_TEST_CASE(the_estimate_follows_the_exact_jaccard) {
  const TextSignature a = signature(kLetter);
  const TextSignature b = signature(kLetter + " Также прошу обратить внимание на пастбища.");
  BOOST_TEST(std::abs(estimated_jaccard(a, b) - jaccard(a, b)) < 0.15);
  BOOST_TEST(estimated_jaccard(a, a) == 1.0);
  BOOST_TEST(estimated_jaccard(a, signature(kOtherLetter)) < 0.15);
}

BOOST_AUTO_TEST_CASE(short_and_empty_texts) {
  const TextSignature one = signature("Да");
  BOOST_TEST(one.shingles.size() == 1U);
  BOOST_TEST(jaccard(one, signature("да!")) == 1.0);
  const TextSignature none = signature("123 — !!!");
  BOOST_TEST(!none.comparable());
  BOOST_TEST(jaccard(none, signature("123 — !!!")) == 0.0);  // nobody's near-duplicate
  BOOST_TEST(estimated_jaccard(none, one) == 0.0);
  // Invalid UTF-8 is read, not refused.
  BOOST_TEST(signature(std::string("abc \xff def ghi")).words == 3U);
}

BOOST_AUTO_TEST_SUITE_END()
