// The database as the service relies on it: migrations applied, every named query valid, the
// documents loaded by store::sync_documents, and the rules the schema enforces by itself.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string>

#include "config/config.hpp"
#include "db/db_case.hpp"
#include "store/store.hpp"
#include "support/db.hpp"
#include "support/paths.hpp"

namespace {

using usynys::test::Db;
using usynys::test::DbCase;
using usynys::test::document_ids;
using usynys::test::insert_proposal_on;
using usynys::test::insert_reference;
using usynys::test::shipped_documents;

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(schema, DbCase)

BOOST_AUTO_TEST_CASE(every_migration_file_is_applied) {
  std::set<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(usynys::test::source_file("schema/migrations"))) {
    if (e.path().extension() == ".sql") files.insert(e.path().filename().string());
  }
  BOOST_TEST_REQUIRE(!files.empty());
  std::set<std::string> applied;
  pqxx::read_transaction tx(db.connection());
  for (const auto& row : tx.exec("SELECT version FROM schema_migrations")) {
    applied.insert(row[0].as<std::string>());
  }
  for (const auto& f : files) {
    BOOST_TEST(applied.contains(f), f << " is not applied: run scripts/migrate.sh");
  }
}

BOOST_AUTO_TEST_CASE(every_named_query_prepares) {
  // libpqxx 6.4 prepares lazily, so a broken query would only show on first use.
  int n = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(usynys::test::source_file("schema/queries"))) {
    if (e.path().extension() != ".sql") continue;
    const std::string name = e.path().stem().string();
    ++n;
    try {
      db.connection().prepare(name, read(e.path()));
      db.connection().prepare_now(name);
    } catch (const std::exception& ex) {
      BOOST_ERROR("schema/queries/" << name << ".sql does not prepare: " << ex.what());
    }
  }
  BOOST_TEST(n > 0);
}

BOOST_AUTO_TEST_CASE(syncing_unchanged_documents_writes_nothing) {
  const auto& ids = document_ids();
  BOOST_TEST_REQUIRE(ids.contains("kz-2026-draft"));
  std::string before;
  {
    pqxx::read_transaction tx(db.connection());
    before = tx.exec(
                   "SELECT string_agg(slug || '@' || loaded_at::text, ',' ORDER BY slug) "
                   "FROM documents")[0][0]
                 .as<std::string>();
  }
  auto again = usynys::store::sync_documents(usynys::test::database_url(), shipped_documents());
  BOOST_TEST((again == ids));
  pqxx::read_transaction tx(db.connection());
  std::string after = tx.exec(
                            "SELECT string_agg(slug || '@' || loaded_at::text, ',' ORDER BY "
                            "slug) FROM documents")[0][0]
                          .as<std::string>();
  BOOST_TEST(after == before);
}

BOOST_AUTO_TEST_CASE(kz_1995_is_stored_with_its_articles) {
  pqxx::read_transaction tx(db.connection());
  pqxx::row r = tx.exec_params1(
      "SELECT count(*), count(*) FILTER (WHERE repealed), "
      "sum(chars) FILTER (WHERE NOT repealed), count(DISTINCT section_number) "
      "FROM articles WHERE document_id = $1",
      kz);
  BOOST_TEST(r[0].as<int>() == 102);
  BOOST_TEST(r[1].as<int>() == 1);
  BOOST_TEST(r[2].as<std::int64_t>() == 81685);  // the chars of its reference language, Russian
  BOOST_TEST(r[3].as<int>() == 9);
  pqxx::row order = tx.exec_params1(
      "SELECT (SELECT position FROM articles WHERE document_id = $1 AND article_id = '83-1') - "
      "(SELECT position FROM articles WHERE document_id = $1 AND article_id = '83')",
      kz);
  BOOST_TEST(order[0].as<int>() == 1, "83-1 comes right after 83");
}

BOOST_AUTO_TEST_CASE(repealed_article_cannot_be_referenced) {
  pqxx::work tx(db.connection());
  const auto id = insert_proposal(tx);
  BOOST_CHECK_THROW(insert_reference(tx, id, kz, "84"), pqxx::foreign_key_violation);
}

BOOST_AUTO_TEST_CASE(unknown_article_or_paragraph_cannot_be_referenced) {
  {
    pqxx::work tx(db.connection());
    const auto id = insert_proposal(tx);
    BOOST_CHECK_THROW(insert_reference(tx, id, kz, "100"), pqxx::foreign_key_violation);
  }
  {
    pqxx::work tx(db.connection());
    const auto id = insert_proposal(tx);
    BOOST_CHECK_THROW(insert_reference(tx, id, kz, "41", "7"), pqxx::check_violation);
  }
  pqxx::work tx(db.connection());
  const auto id = insert_proposal(tx);
  insert_reference(tx, id, kz, "41", "3-1");
  tx.commit();
}

BOOST_AUTO_TEST_CASE(every_reference_and_proposal_names_what_exists) {
  const int draft = document_ids().at("kz-2026-draft");
  {
    pqxx::work tx(db.connection());
    BOOST_CHECK_THROW(tx.exec("INSERT INTO proposals (document_id, submitter_type, text) "
                              "VALUES (2147483647, 'citizen', 'text')"),
                      pqxx::foreign_key_violation);
  }
  {
    pqxx::work tx(db.connection());
    const auto id = insert_proposal(tx);
    // Article 1 exists in the draft too, but the proposal is on kz-1995.
    BOOST_CHECK_THROW(insert_reference(tx, id, draft, "1"), pqxx::foreign_key_violation);
  }
  pqxx::work tx(db.connection());
  const auto id = insert_proposal(tx);
  BOOST_CHECK_THROW(insert_reference(tx, id + 1, kz, "1"), pqxx::foreign_key_violation);
}

BOOST_AUTO_TEST_CASE(referenced_articles_and_documents_stay_as_they_are) {
  {
    pqxx::work tx(db.connection());
    insert_reference(tx, insert_proposal(tx), kz, "41");
    tx.commit();
  }
  for (const char* change :
       {"UPDATE articles SET repealed = true, chars = 0 WHERE document_id = $1 AND "
        "article_id = '41'",
        "UPDATE articles SET article_id = '41-9' WHERE document_id = $1 AND article_id = '41'",
        "DELETE FROM articles WHERE document_id = $1 AND article_id = '41'",
        "DELETE FROM documents WHERE id = $1"}) {
    pqxx::work tx(db.connection());
    BOOST_CHECK_THROW(tx.exec_params(change, kz), pqxx::foreign_key_violation);
  }
  {
    // An article nobody references may change; rolled back.
    pqxx::work tx(db.connection());
    BOOST_TEST(tx.exec_params("UPDATE articles SET repealed = true, chars = 0 WHERE "
                              "document_id = $1 AND article_id = '42'",
                              kz)
                   .affected_rows() == 1);
  }
  // Loading a new file of the document that drops the article is refused.
  auto docs = shipped_documents();
  for (auto& doc : docs) {
    if (doc.slug != "kz-1995") continue;
    std::erase_if(doc.articles, [](const auto& a) { return a.id == "41"; });
    doc.sha256 = std::string(64, '0');
  }
  BOOST_CHECK_THROW(usynys::store::sync_documents(usynys::test::database_url(), docs),
                    std::runtime_error);
  BOOST_TEST(db.count("SELECT count(*) FROM articles WHERE article_id = '41' AND document_id = " +
                      std::to_string(kz)) == 1);
}

// A document of its own, which the case changes and then removes.
struct ScratchDocument : DbCase {
  ScratchDocument() {
    pqxx::work tx(db.connection());
    doc = tx.exec1(
                "INSERT INTO documents (slug, title, version, language, source_sha256) "
                "VALUES ('scratch', 'Scratch', '1', 'en', repeat('0', 64)) RETURNING id")[0]
              .as<int>();
    tx.exec_params(
        "INSERT INTO sections (document_id, number, roman, title) "
        "VALUES ($1, 1, 'I', 'One')",
        doc);
    tx.exec_params(
        "INSERT INTO articles (document_id, article_id, position, section_number, text, chars) "
        "VALUES ($1, '1', 1, 1, 'One.', 4), ($1, '2', 2, 1, 'Two.', 4)",
        doc);
    tx.commit();
  }
  ~ScratchDocument() {
    db.truncate_proposals();
    pqxx::work tx(db.connection());
    tx.exec("DELETE FROM documents WHERE slug = 'scratch'");
    tx.commit();
  }
  // Inserts a proposal on the scratch document referencing `article` and commits.
  static void propose_on(int doc, const std::string& article) {
    Db submitter;
    pqxx::work tx(submitter.connection());
    insert_reference(tx, insert_proposal_on(tx, doc), doc, article);
    tx.commit();
  }
  std::int64_t waiting() {
    return db.count_when(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
        "datname = current_database()",
        1);
  }
  int doc = 0;
};

BOOST_FIXTURE_TEST_CASE(a_reference_waits_for_its_article_being_dropped, ScratchDocument) {
  Db loader;
  pqxx::work dropping(loader.connection());
  dropping.exec_params("DELETE FROM articles WHERE document_id = $1 AND article_id = '2'", doc);
  auto referencing = std::async(std::launch::async, [d = doc] { propose_on(d, "2"); });
  BOOST_TEST(waiting() == 1);
  dropping.commit();
  BOOST_CHECK_THROW(referencing.get(), pqxx::foreign_key_violation);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles") == 0);
}

BOOST_FIXTURE_TEST_CASE(an_article_waits_for_a_reference_being_added, ScratchDocument) {
  Db submitter;
  pqxx::work adding(submitter.connection());
  insert_reference(adding, insert_proposal_on(adding, doc), doc, "2");
  auto dropping = std::async(std::launch::async, [d = doc] {
    Db loader;
    pqxx::work tx(loader.connection());
    tx.exec_params("DELETE FROM articles WHERE document_id = $1 AND article_id = '2'", d);
    tx.commit();
  });
  BOOST_TEST(waiting() == 1);
  adding.commit();
  BOOST_CHECK_THROW(dropping.get(), pqxx::foreign_key_violation);
  BOOST_TEST(db.count("SELECT count(*) FROM articles WHERE article_id = '2' AND document_id = " +
                      std::to_string(doc)) == 1);
}

BOOST_FIXTURE_TEST_CASE(an_older_snapshot_cannot_reference_a_dropped_article, ScratchDocument) {
  Db submitter;
  pqxx::transaction<pqxx::repeatable_read> adding(submitter.connection());
  BOOST_TEST(adding.exec_params1("SELECT count(*) FROM articles WHERE document_id = $1", doc)[0]
                 .as<int>() == 2);
  {
    pqxx::work dropping(db.connection());
    dropping.exec_params("DELETE FROM articles WHERE document_id = $1 AND article_id = '2'", doc);
    dropping.commit();
  }
  // Its snapshot still shows article 2: the insert must fail rather than trust it.
  BOOST_CHECK_THROW(insert_reference(adding, insert_proposal_on(adding, doc), doc, "2"),
                    pqxx::serialization_failure);
}

BOOST_FIXTURE_TEST_CASE(articles_change_only_in_read_committed_transactions, ScratchDocument) {
  pqxx::transaction<pqxx::repeatable_read> tx(db.connection());
  BOOST_CHECK_THROW(
      tx.exec_params("DELETE FROM articles WHERE document_id = $1 AND article_id = '2'", doc),
      pqxx::sql_error);
}

BOOST_AUTO_TEST_CASE(name_is_required_for_every_type_but_citizen) {
  pqxx::work tx(db.connection());
  BOOST_CHECK_THROW(tx.exec_params("INSERT INTO proposals (document_id, submitter_type, text) "
                                   "VALUES ($1, 'party', 'text')",
                                   kz),
                    pqxx::check_violation);
}

BOOST_AUTO_TEST_CASE(text_length_is_checked_in_characters) {
  std::string at_limit;
  for (int i = 0; i < 20000; ++i) at_limit += "ә";
  {
    pqxx::work tx(db.connection());
    tx.exec_params(
        "INSERT INTO proposals (document_id, submitter_type, text) "
        "VALUES ($1, 'citizen', $2)",
        kz, at_limit);
    tx.commit();
  }
  // One byte per character, and none at all.
  for (const std::string& text : {std::string(20001, 'a'), std::string()}) {
    pqxx::work tx(db.connection());
    BOOST_CHECK_THROW(tx.exec_params("INSERT INTO proposals (document_id, submitter_type, text) "
                                     "VALUES ($1, 'citizen', $2)",
                                     kz, text),
                      pqxx::check_violation);
  }
  {
    pqxx::work tx(db.connection());
    tx.exec_params(
        "INSERT INTO proposals (document_id, submitter_type, text, proposed_text) "
        "VALUES ($1, 'citizen', $2, $2)",
        kz, std::string(20000, 'a'));
    tx.commit();
  }
  pqxx::work tx(db.connection());
  BOOST_CHECK_THROW(tx.exec_params("INSERT INTO proposals (document_id, submitter_type, text) "
                                   "VALUES ($1, 'citizen', $2)",
                                   kz, at_limit + "ә"),
                    pqxx::check_violation);
}

BOOST_AUTO_TEST_CASE(proposals_are_never_deleted) {
  {
    pqxx::work tx(db.connection());
    insert_proposal(tx);
    tx.commit();
  }
  pqxx::work tx(db.connection());
  BOOST_CHECK_THROW(tx.exec("DELETE FROM proposals"), pqxx::sql_error);
}

BOOST_AUTO_TEST_CASE(folded_inserts_are_counted_and_truncation_resets_the_aggregates) {
  {
    pqxx::work tx(db.connection());
    const auto id = insert_proposal(tx);
    tx.exec_params(
        "INSERT INTO proposal_articles (proposal_id, document_id, article_id) "
        "VALUES ($1, $2, '1'), ($1, $2, '40')",
        id, kz);
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 1);
  {
    pqxx::work tx(db.connection());
    BOOST_TEST(tx.exec1("SELECT stats_fold(100)")[0].as<int>() == 1);
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT coalesce(sum(proposals), 0) FROM stats_article_totals") == 2);
  BOOST_TEST(db.count("SELECT coalesce(sum(proposals), 0) FROM stats_proposal_daily") == 1);
  {
    pqxx::work tx(db.connection());
    insert_proposal(tx);
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 1);
  {
    // Emptying proposals alone empties their references too.
    pqxx::work tx(db.connection());
    tx.exec("TRUNCATE proposals");
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles") == 0);
  for (const char* table : {"stats_article_totals", "stats_article_daily", "stats_section_daily",
                            "stats_proposal_daily", "stats_pending"}) {
    BOOST_TEST(db.count(std::string("SELECT count(*) FROM ") + table) == 0, table);
  }
}

BOOST_AUTO_TEST_SUITE_END()
