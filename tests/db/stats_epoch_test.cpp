// The statistics version (stats_epoch): it moves with each commit that changes what the
// statistics count, on every counted table, and with nothing else: not with a fold, not with a
// rolled-back change, not when the rows of gone backends are merged.
#include <boost/test/unit_test.hpp>
#include <pqxx/pqxx>
#include <string>

#include "db/db_case.hpp"
#include "support/db.hpp"

namespace {

using usynys::test::Db;
using usynys::test::DbCase;
using usynys::test::insert_reference;

std::int64_t epoch(Db& db) {
  return db.count("SELECT coalesce(sum(changes), 0)::bigint FROM stats_epoch");
}

// Runs `sql` in its own committed transaction on `db`.
void commit(Db& db, const std::string& sql) {
  pqxx::work tx(db.connection());
  tx.exec(sql);
  tx.commit();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stats_epoch, DbCase)

BOOST_AUTO_TEST_CASE(moves_with_each_counted_change_and_stays_with_a_fold) {
  std::int64_t before = epoch(db);
  std::int64_t id = 0;
  {
    pqxx::work tx(db.connection());
    id = insert_proposal(tx);
    insert_reference(tx, id, kz, "1");
    // Not committed yet: another snapshot must not see the change.
    Db other;
    BOOST_TEST(epoch(other) == before);
    tx.commit();
  }
  std::int64_t after = epoch(db);
  BOOST_TEST(after > before);

  // A fold moves counts between the marks and the aggregates: every answer stays the same.
  before = after;
  commit(db, "SELECT stats_fold(1000)");
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 0);
  BOOST_TEST(epoch(db) == before);

  // Hiding a proposal changes the counts.
  commit(db, "UPDATE proposals SET status = 'hidden' WHERE id = " + std::to_string(id));
  after = epoch(db);
  BOOST_TEST(after > before);

  // A rolled-back change leaves the version as it was.
  before = after;
  {
    pqxx::work tx(db.connection());
    insert_proposal(tx);
    tx.abort();
  }
  BOOST_TEST(epoch(db) == before);

  // Campaign counts and emptying the proposals move it too.
  commit(db, "DELETE FROM campaign_article_counts WHERE false");
  after = epoch(db);
  BOOST_TEST(after > before);
  before = after;
  db.truncate_proposals();
  BOOST_TEST(epoch(db) > before);
}

BOOST_AUTO_TEST_CASE(rows_of_gone_backends_merge_without_changing_it) {
  std::int64_t gone_pid = 0;
  {
    Db gone;
    pqxx::work tx(gone.connection());
    gone_pid = tx.exec1("SELECT pg_backend_pid()")[0].as<std::int64_t>();
    insert_proposal(tx);
    tx.commit();
  }  // its backend ends with the connection
  const std::string pid = std::to_string(gone_pid);
  BOOST_TEST_REQUIRE(db.count("SELECT count(*) FROM stats_epoch WHERE backend = " + pid) == 1);
  // The backend may take a moment to leave pg_stat_activity.
  BOOST_TEST_REQUIRE(db.count_when("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid, 0) ==
                     0);
  const std::int64_t before = epoch(db);
  commit(db, "SELECT stats_epoch_compact()");
  BOOST_TEST(db.count("SELECT count(*) FROM stats_epoch WHERE backend = " + pid) == 0);
  BOOST_TEST(epoch(db) == before);
  BOOST_TEST(db.count("SELECT count(*) FROM stats_epoch WHERE backend = 0") == 1);
  // This backend's own row stays.
  BOOST_TEST(db.count("SELECT count(*) FROM stats_epoch WHERE backend = pg_backend_pid()") <= 1);
}

BOOST_AUTO_TEST_SUITE_END()
