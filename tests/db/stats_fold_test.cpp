// Statistics folded after commit: what readers see (the *_live views) equals a recount of the
// raw tables whether proposals are pending, partly folded or all folded, through moderation,
// late references and a fold that meets moderation in progress.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "db/db_case.hpp"
#include "store/folder.hpp"

namespace {

using usynys::test::Db;
using usynys::test::DbCase;

// Rows of `a` missing from `b` plus rows of `b` missing from `a`.
std::string difference(const std::string& a, const std::string& b) {
  return "SELECT count(*) FROM (((" + a + ") EXCEPT ALL (" + b + ")) UNION ALL ((" + b +
         ") EXCEPT ALL (" + a + "))) d";
}

// Each aggregate as readers see it (source: a *_live view) or as folded so far (source: the
// table), next to the same figures recounted from the raw tables.
struct Shapes {
  std::string totals, daily, sections, proposals;
};

Shapes aggregated(const std::string& suffix) {
  return {
      "SELECT document_id, article_id, submitter_type, sum(proposals), min(first_at), "
      "max(last_at) FROM stats_article_totals" +
          suffix + " GROUP BY 1, 2, 3 HAVING sum(proposals) > 0",
      "SELECT document_id, article_id, day, submitter_type, channel, language, "
      "sum(proposals), min(first_at), max(last_at) FROM stats_article_daily" +
          suffix + " GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(proposals) > 0",
      "SELECT document_id, section_number, day, submitter_type, channel, language, "
      "sum(proposals) FROM stats_section_daily" +
          suffix + " GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(proposals) > 0",
      "SELECT document_id, day, submitter_type, channel, language, sum(proposals) "
      "FROM stats_proposal_daily" +
          suffix + " GROUP BY 1, 2, 3, 4, 5 HAVING sum(proposals) > 0"};
}

const std::string kVisibleRefs =
    "SELECT p.id, p.document_id, pa.article_id, a.section_number, p.submitter_type, p.channel, "
    "coalesce(p.language, '') AS language, p.received_at, "
    "(p.received_at AT TIME ZONE 'UTC')::date AS day "
    "FROM proposals p JOIN proposal_articles pa ON pa.proposal_id = p.id "
    "JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id "
    "WHERE p.status = 'visible'";

Shapes recounted() {
  return {
      "SELECT document_id, article_id, submitter_type, count(*)::numeric, min(received_at), "
      "max(received_at) FROM (" +
          kVisibleRefs + ") r GROUP BY 1, 2, 3",
      "SELECT document_id, article_id, day, submitter_type, channel, language, "
      "count(*)::numeric, min(received_at), max(received_at) FROM (" +
          kVisibleRefs + ") r GROUP BY 1, 2, 3, 4, 5, 6",
      "SELECT document_id, section_number, day, submitter_type, channel, language, "
      "count(DISTINCT id)::numeric FROM (" +
          kVisibleRefs + ") r GROUP BY 1, 2, 3, 4, 5, 6",
      "SELECT document_id, (received_at AT TIME ZONE 'UTC')::date, submitter_type, channel, "
      "coalesce(language, ''), count(*)::numeric FROM proposals WHERE status = 'visible' "
      "GROUP BY 1, 2, 3, 4, 5"};
}

// Every figure readers see equals the recount; with everything folded, so do the tables alone.
void check_exact(Db& db, const std::string& when) {
  const Shapes live = aggregated("_live"), raw = recounted();
  BOOST_TEST(db.count(difference(live.totals, raw.totals)) == 0, when << ": article totals");
  BOOST_TEST(db.count(difference(live.daily, raw.daily)) == 0, when << ": article daily");
  BOOST_TEST(db.count(difference(live.sections, raw.sections)) == 0, when << ": sections");
  BOOST_TEST(db.count(difference(live.proposals, raw.proposals)) == 0, when << ": proposals");
  if (db.count("SELECT count(*) FROM stats_pending") == 0) {
    const Shapes folded = aggregated("");
    BOOST_TEST(db.count(difference(folded.totals, raw.totals)) == 0, when << ": folded totals");
    BOOST_TEST(db.count(difference(folded.daily, raw.daily)) == 0, when << ": folded daily");
    BOOST_TEST(db.count(difference(folded.sections, raw.sections)) == 0,
               when << ": folded sections");
    BOOST_TEST(db.count(difference(folded.proposals, raw.proposals)) == 0,
               when << ": folded proposals");
  }
}

// stats_fold(at_most) in its own transaction on `db`'s connection.
std::int64_t fold_on(Db& db, int at_most) {
  pqxx::work tx(db.connection());
  const auto taken = tx.exec_params1("SELECT stats_fold($1)", at_most)[0].as<std::int64_t>();
  tx.commit();
  return taken;
}

struct FoldCase : DbCase {
  // Inserts proposal `n` (types, channels, languages and days vary with n) referencing
  // `articles`, in its own transaction; returns its id.
  std::int64_t propose(int n, const std::string& articles, const std::string& status = "visible") {
    pqxx::work tx(db.connection());
    const auto id =
        tx.exec_params1(
              "INSERT INTO proposals (document_id, submitter_type, submitter_name, channel, "
              "language, text, received_at, status) "
              "VALUES ($1, (ARRAY['citizen','party','expert'])[1 + $2 % 3], 'Name ' || $2, "
              "(ARRAY['web','mail'])[1 + $2 % 2], (ARRAY['kk','ru',NULL])[1 + $2 % 3], 'text', "
              "timestamptz '2026-03-01 08:00:00+00' + make_interval(hours => 7 * $2), $3) "
              "RETURNING id",
              kz, n, status)[0]
            .as<std::int64_t>();
    tx.exec_params(
        "INSERT INTO proposal_articles (proposal_id, document_id, article_id) "
        "SELECT $1, $2, unnest(string_to_array($3, ','))",
        id, kz, articles);
    tx.commit();
    return id;
  }
  void set_status(std::int64_t id, const std::string& status) {
    pqxx::work tx(db.connection());
    tx.exec_params("UPDATE proposals SET status = $2 WHERE id = $1", id, status);
    tx.commit();
  }
  std::int64_t fold(int at_most) { return fold_on(db, at_most); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stats_fold, FoldCase)

BOOST_AUTO_TEST_CASE(readers_count_pending_and_folded_proposals_alike) {
  // Articles 1 and 2 share section I; 40 is in another section.
  for (int n = 0; n < 12; ++n) {
    propose(n,
            n % 4 == 0   ? "1,2"
            : n % 4 == 1 ? "1,40"
            : n % 4 == 2 ? "2"
                         : "1,2,40",
            n % 5 == 4 ? "hidden" : "visible");
  }
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 12);
  BOOST_TEST(db.count("SELECT count(*) FROM stats_article_totals WHERE proposals <> 0") == 0);
  check_exact(db, "all pending");
  BOOST_TEST(fold(5) == 5);
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 7);
  check_exact(db, "five folded");
  BOOST_TEST(fold(100) == 7);
  BOOST_TEST(fold(100) == 0);
  check_exact(db, "all folded");
}

BOOST_AUTO_TEST_CASE(moderation_counts_whether_or_not_a_proposal_is_folded) {
  const auto a = propose(1, "1,2");
  const auto b = propose(2, "1,40");
  propose(3, "2");
  set_status(a, "hidden");  // pending: the fold will count it as hidden
  check_exact(db, "pending one hidden");
  BOOST_TEST(fold(100) == 3);
  check_exact(db, "folded");
  set_status(b, "hidden");  // folded: counted out now
  check_exact(db, "folded one hidden");
  set_status(a, "visible");  // folded while hidden: counted in now
  check_exact(db, "folded one shown again");
  const auto c = propose(4, "1");
  set_status(c, "hidden");
  set_status(c, "visible");
  set_status(b, "visible");
  check_exact(db, "mixed");
  BOOST_TEST(fold(100) == 1);
  check_exact(db, "all folded again");
}

BOOST_AUTO_TEST_CASE(hiding_the_first_or_last_proposal_of_a_cell_moves_its_times) {
  // Citizens' proposals on article 1 (n a multiple of 3), several a day; n = 12 twice: a tie.
  std::vector<std::int64_t> ids;
  for (const int n : {0, 3, 6, 9, 12, 12, 15, 18, 21, 24}) ids.push_back(propose(n, "1,40"));
  BOOST_TEST(fold(100) == 10);
  check_exact(db, "folded");
  set_status(ids[4], "hidden");  // one of the tie: the other keeps the time
  check_exact(db, "one of a tie hidden");
  set_status(ids[2], "hidden");  // inside its cells: the times stay
  check_exact(db, "a middle one hidden");
  set_status(ids[0], "hidden");  // the first of everything
  check_exact(db, "the first hidden");
  set_status(ids[9], "hidden");  // the last of everything
  check_exact(db, "the last hidden");
  set_status(ids[5], "hidden");  // the rest of the tie, the last of its day
  check_exact(db, "the tie gone");
  for (const std::int64_t id : ids) set_status(id, "hidden");
  check_exact(db, "all hidden");
  set_status(ids[3], "visible");
  check_exact(db, "one shown again");
}

BOOST_AUTO_TEST_CASE(references_added_after_folding_are_counted_once_per_section) {
  const auto a = propose(1, "1");
  BOOST_TEST(fold(100) == 1);
  {
    pqxx::work tx(db.connection());
    tx.exec_params(
        "INSERT INTO proposal_articles (proposal_id, document_id, article_id) "
        "VALUES ($1, $2, '2'), ($1, $2, '40')",
        a, kz);
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 0);
  check_exact(db, "late references");
}

BOOST_AUTO_TEST_CASE(a_fold_meeting_moderation_in_progress_counts_the_outcome) {
  const auto a = propose(1, "1,40");
  propose(2, "2");
  // A moderator hides the pending proposal and has not committed yet.
  Db moderator;
  pqxx::work hiding(moderator.connection());
  hiding.exec_params("UPDATE proposals SET status = 'hidden' WHERE id = $1", a);
  auto folded = std::async(std::launch::async, [] {
    Db folder;
    return fold_on(folder, 100);
  });
  // The fold waits for the moderator's row lock.
  BOOST_TEST(db.count_when("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND query LIKE 'SELECT stats_fold(%'",
                           1) == 1);
  hiding.commit();
  BOOST_TEST(folded.get() == 2);
  check_exact(db, "folded after the moderator committed");
  BOOST_TEST(db.count("SELECT coalesce(sum(proposals), 0) FROM stats_proposal_daily") == 1);
}

BOOST_AUTO_TEST_CASE(the_folder_leaves_a_backlog_while_intake_is_busy_and_catches_up_after) {
  std::atomic<std::uint64_t> batches{0};
  std::atomic<bool> busy{true};
  usynys::config::Intake options;
  options.fold_interval_ms = 5;
  options.stats_backlog = 5;
  options.search_backlog = 3;
  for (int n = 0; n < 8; ++n) propose(n, "1");
  // Busy: a new batch committed before every round.
  usynys::store::Folder folder(options, usynys::test::database_url(),
                               [&] { return busy ? ++batches : batches.load(); });
  BOOST_TEST(db.count_when("SELECT count(*) FROM stats_pending", 5) == 5);
  BOOST_TEST(db.count_when("SELECT count(*) FROM search_pending", 3) == 3);
  check_exact(db, "busy, with a backlog");
  busy = false;
  BOOST_TEST(db.count_when("SELECT count(*) FROM stats_pending", 0) == 0);
  BOOST_TEST(db.count_when("SELECT count(*) FROM search_pending", 0) == 0);
  folder.stop();
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_search") == 8);
  check_exact(db, "caught up");
}

BOOST_AUTO_TEST_SUITE_END()
