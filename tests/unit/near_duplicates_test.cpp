// Near-duplicate signatures: normalisation, exact and estimated Jaccard, and the bands that find
// candidates: each kind of edit a campaign's copies carry keeps a copy close to its letter, and
// two different letters on one subject stay apart.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>
#include <string>

#include "match/campaign_groups.hpp"
#include "match/near_duplicates.hpp"

namespace {

using usynys::match::estimated_jaccard;
using usynys::match::jaccard;
using usynys::match::signature;
using usynys::match::TextSignature;
using namespace usynys::match;

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

BOOST_AUTO_TEST_CASE(stored_minhashes_round_trip_and_estimate_alike) {
  const TextSignature a = signature(kLetter);
  const StoredMinHash m = stored_minhash(a);
  BOOST_TEST(minhash_hex(m).size() == 512U);
  BOOST_TEST((minhash_from_hex(minhash_hex(m)) == m));
  BOOST_TEST(!minhash_from_hex("00ff").has_value());
  BOOST_TEST(!minhash_from_hex(std::string(512, 'g')).has_value());
  const TextSignature b = signature(kLetter + " Также прошу обратить внимание на пастбища.");
  BOOST_TEST(std::abs(estimated_jaccard(m, stored_minhash(b)) - estimated_jaccard(a, b)) < 0.02);
}

// A known proposal of document 1 with the signature of `text`.
KnownProposal known(std::int64_t id, const std::string& text, std::optional<std::int64_t> campaign,
                    std::int64_t members = 0) {
  const TextSignature sig = signature(text);
  return {id, 1, sig.exact, stored_minhash(sig), campaign, members};
}

// Candidates holding every band key of the given known proposals (the first holder of a key
// keeps it), as the store reads them.
CampaignCandidates holding(const std::vector<std::pair<KnownProposal, std::string>>& all) {
  CampaignCandidates out;
  for (const auto& [k, text] : all) {
    out.known.emplace(k.id, k);
    for (std::uint64_t band : signature(text).bands) {
      out.band_holders.emplace(document_band_key(1, band), k.id);
    }
    out.exact_holders.emplace(std::make_pair(1, k.exact), k.id);
  }
  return out;
}

BOOST_AUTO_TEST_CASE(new_texts_join_the_campaign_of_their_near_duplicates) {
  const std::string copy = kLetter + " С уважением, Айгерим.";
  const CampaignCandidates candidates = holding(
      {{known(1, kLetter, 10, 2), kLetter}, {known(2, kOtherLetter, std::nullopt), kOtherLetter}});
  const CampaignDecisions d = decide_campaigns(
      {{5, 1, signature(copy)},
       {6, 1, signature(kOtherLetter + " Спасибо.")},
       {7, 1, signature("Совсем другое письмо о земле, пастбищах и воде для аулов.")}},
      candidates, 0.5, 16);
  BOOST_TEST_REQUIRE(d.groups.size() == 2U);
  // 5 joins campaign 10; 6 and the earlier 2 form a new campaign, 2 its representative.
  BOOST_TEST((d.groups[0].kept == std::optional<std::int64_t>(10)));
  BOOST_TEST(d.groups[0].join == std::vector<std::int64_t>({5}));
  BOOST_TEST(!d.groups[1].kept.has_value());
  BOOST_TEST(d.groups[1].join == std::vector<std::int64_t>({2, 6}));
  BOOST_TEST(d.groups[1].representative == 2);
  BOOST_TEST(d.verified >= 2U);
  // Keys the batch brought and no one held are to be stored, each once.
  std::set<std::int64_t> keys;
  for (const auto& [key, id] : d.new_bands) BOOST_TEST(keys.insert(key).second);
  BOOST_TEST(!d.new_bands.empty());
}

BOOST_AUTO_TEST_CASE(a_bridging_text_merges_two_campaigns_into_the_larger) {
  const std::string hello = kLetter + " Добрый день.";
  const std::string thanks = kLetter + " Спасибо за внимание.";
  // Two campaigns whose members are near-duplicates of one new text; the keys the new text
  // has are held by one member or the other, as when each campaign formed apart.
  CampaignCandidates candidates = holding({{known(3, kOtherLetter, 30, 9), kOtherLetter}});
  candidates.known.emplace(1, known(1, hello, 10, 3));
  candidates.known.emplace(2, known(2, thanks, 20, 7));
  std::size_t b = 0;
  for (std::uint64_t band : signature(kLetter).bands) {
    candidates.band_holders.emplace(document_band_key(1, band), b++ % 2 == 0 ? 1 : 2);
  }
  const CampaignDecisions d = decide_campaigns({{5, 1, signature(kLetter)}}, candidates, 0.5, 16);
  BOOST_TEST_REQUIRE(d.groups.size() == 1U);
  BOOST_TEST((d.groups[0].kept == std::optional<std::int64_t>(20)));
  BOOST_TEST(d.groups[0].merge == std::vector<std::int64_t>({10}));
  BOOST_TEST(d.groups[0].join == std::vector<std::int64_t>({5}));
  // Texts of one batch bridge too: 6 is near 5, which is an exact copy of campaign 30's member.
  const CampaignDecisions batch = decide_campaigns({{5, 1, signature(kOtherLetter)},
                                                    {6, 1, signature(kOtherLetter + " Спасибо.")},
                                                    {7, 1, signature(kLetter)}},
                                                   candidates, 0.5, 16);
  BOOST_TEST_REQUIRE(batch.groups.size() == 2U);
  BOOST_TEST((batch.groups[0].kept == std::optional<std::int64_t>(30)));
  BOOST_TEST(batch.groups[0].join == std::vector<std::int64_t>({5, 6}));
  BOOST_TEST((batch.groups[1].kept == std::optional<std::int64_t>(20)));
  BOOST_TEST(batch.groups[1].merge == std::vector<std::int64_t>({10}));
  BOOST_TEST(batch.groups[1].join == std::vector<std::int64_t>({7}));
}

BOOST_AUTO_TEST_CASE(candidates_verified_per_text_are_bounded) {
  CampaignCandidates many;
  for (std::int64_t i = 1; i <= 40; ++i) {
    std::string text = kLetter + " Подпись ";
    for (std::int64_t j = 0; j < i; ++j) text += "я";
    KnownProposal k = known(i, text, std::nullopt);
    many.known.emplace(i, k);
    for (std::uint64_t band : signature(text).bands) {
      many.band_holders.emplace(document_band_key(1, band) + i * 1000003, i);
    }
  }
  // Every band of the new text is held (by someone): at most 3 are verified.
  for (std::uint64_t band : signature(kLetter).bands) {
    many.band_holders[document_band_key(1, band)] = 1 + static_cast<std::int64_t>(band % 40);
  }
  const CampaignDecisions d = decide_campaigns({{100, 1, signature(kLetter)}}, many, 0.5, 3);
  BOOST_TEST(d.verified <= 3U);
  BOOST_TEST(d.groups.size() == 1U);
}

BOOST_AUTO_TEST_CASE(added_sentences_are_those_the_representative_lacks) {
  const std::string rep = "Первое предложение о языке. Второе предложение о судах! Третье о земле?";
  BOOST_TEST(added_sentences(rep, rep).empty());
  const auto added = added_sentences(
      "Добрый день.\nПервое предложение о языкке. Второе предложение о судах! "
      "Лично я прошу ещё и о пастбищах… Третье о земле?",
      rep);
  BOOST_TEST(added ==
             std::vector<std::string>({"Добрый день.", "Лично я прошу ещё и о пастбищах…"}));
  BOOST_TEST(added_sentences("123. !!!", rep).empty());
  BOOST_TEST(added_sentences("Другое.", "").size() == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
