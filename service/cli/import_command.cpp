#include "cli/import_command.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <utility>

#include "api/import_rows.hpp"
#include "api/records.hpp"
#include "config/config.hpp"
#include "domain/proposal.hpp"
#include "imports/csv_reader.hpp"
#include "imports/xlsx_reader.hpp"
#include "store/db_pool.hpp"
#include "store/import_writer.hpp"
#include "store/store.hpp"

namespace usynys::cli {
namespace {

constexpr int kStored = 0;
constexpr int kRejected = 1;
constexpr int kUsage = 2;
constexpr int kDatabase = 3;
constexpr std::size_t kBatch = 5000;

struct Options {
  std::optional<std::string> channel;
  std::optional<std::string> document;
  bool dry_run = false;
  std::optional<std::string> errors;
  std::optional<std::string> receipts;
  std::optional<std::string> database_url;
  std::string config = "config/usynys.json";
  std::vector<std::string> files;
};

class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};
class DatabaseError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

Options parse(const std::vector<std::string>& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (a == "--channel") {
      o.channel = value();
    } else if (a == "--document") {
      o.document = value();
    } else if (a == "--dry-run") {
      o.dry_run = true;
    } else if (a == "--errors") {
      o.errors = value();
    } else if (a == "--receipts") {
      o.receipts = value();
    } else if (a == "--database-url") {
      o.database_url = value();
    } else if (a == "--config") {
      o.config = value();
    } else if (a.starts_with("--")) {
      throw UsageError("unknown option " + a);
    } else {
      o.files.push_back(a);
    }
  }
  if (o.files.empty()) throw UsageError("no file to import");
  if (o.channel && !domain::one_of(domain::kChannels, *o.channel)) {
    throw UsageError("--channel must be one of web, e-otinish, egov, email, mail, hearing");
  }
  return o;
}

enum class Format { jsonl, csv, xlsx };

Format format_of(const std::string& file) {
  if (file == "-") return Format::jsonl;
  const std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".jsonl" || ext == ".ndjson") return Format::jsonl;
  if (ext == ".csv") return Format::csv;
  if (ext == ".xlsx") return Format::xlsx;
  throw UsageError(file + ": not a .jsonl, .ndjson, .csv or .xlsx file");
}

// The rows of one input, whatever its format: JSON Lines line by line, or records.
class Source {
 public:
  Source(const std::string& file, Format format) : format_(format) {
    if (format == Format::xlsx) {
      xlsx_ = std::make_unique<imports::XlsxReader>(file);
      total_ = xlsx_->sheet_bytes();
      api::ImportRows::check_header(xlsx_->header());
      return;
    }
    if (file == "-") {
      in_ = &std::cin;
    } else {
      file_.open(file, std::ios::binary);
      if (!file_) throw UsageError(file + ": cannot be read");
      in_ = &file_;
      std::error_code ec;
      total_ = std::filesystem::file_size(file, ec);
      if (ec) total_ = 0;
    }
    if (format == Format::csv) {
      csv_ = std::make_unique<imports::CsvReader>(*in_);
      api::ImportRows::check_header(csv_->header());
    }
  }

  // The next row into `row`, or its rejections; false at the end.
  bool next(const api::ImportRows& rows, store::ImportRow& row, bool& ok,
            std::vector<api::Rejection>& rejections) {
    if (format_ == Format::jsonl) {
      std::string text;
      while (std::getline(*in_, text)) {
        ++line_;
        bytes_ += text.size() + 1;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.find_first_not_of(" \t") == std::string::npos) continue;  // a blank line
        ok = rows.from_json(line_, text, row, rejections);
        return true;
      }
      if (in_->bad()) throw std::runtime_error("the input cannot be read");
      return false;
    }
    imports::RecordReader& reader = csv_ ? static_cast<imports::RecordReader&>(*csv_) : *xlsx_;
    imports::Record record;
    if (!reader.next(record)) return false;
    ok = rows.from_record(record, row, rejections);
    return true;
  }

  std::uint64_t bytes_read() const {
    if (csv_) return csv_->bytes_read();
    if (xlsx_) return xlsx_->bytes_read();
    return bytes_;
  }
  std::uint64_t total() const { return total_; }

 private:
  Format format_;
  std::ifstream file_;
  std::istream* in_ = nullptr;
  std::unique_ptr<imports::CsvReader> csv_;
  std::unique_ptr<imports::XlsxReader> xlsx_;
  std::size_t line_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t total_ = 0;
};

struct Totals {
  std::uint64_t rows = 0;
  std::uint64_t imported = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;  // rows, however many reasons each had
};

// A CSV file the import writes beside its inputs: a header, then one row per add().
class CsvFile {
 public:
  CsvFile(const std::string& path, const std::string& what, const char* header)
      : path_(path), what_(what), out_(path, std::ios::trunc) {
    if (!out_) throw UsageError(path + ": the " + what + " file cannot be written");
    out_ << header << "\r\n";
  }
  void add(std::initializer_list<std::string_view> fields) {
    std::string line;
    bool first = true;
    for (std::string_view f : fields) {
      if (!first) line += ',';
      first = false;
      api::append_csv_field(line, f);
    }
    out_ << line << "\r\n";
  }
  void close() {
    out_.close();
    if (!out_) throw std::runtime_error(path_ + ": the " + what_ + " file could not be written");
  }

 private:
  std::string path_;
  std::string what_;
  std::ofstream out_;
};

// Rows refused: line, external_ref, field, message.
class ErrorsFile : public CsvFile {
 public:
  explicit ErrorsFile(const std::string& path)
      : CsvFile(path, "errors", "line,external_ref,field,message") {}
  void add(const api::Rejection& r) {
    CsvFile::add({std::to_string(r.line), r.external_ref, r.field, r.message});
  }
};

// The receipt of every row stored now or before, for the channel to pass on to its submitter:
// line, external_ref, id, receipt.
class ReceiptsFile : public CsvFile {
 public:
  explicit ReceiptsFile(const std::string& path)
      : CsvFile(path, "receipts", "line,external_ref,id,receipt") {}
};

// Progress on standard error, at most once a second.
class Progress {
 public:
  void update(const Totals& t, std::uint64_t done, std::uint64_t total, bool last = false) {
    const auto now = std::chrono::steady_clock::now();
    if (!last && now - shown_ < std::chrono::seconds(1)) return;
    shown_ = now;
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(t.rows) / seconds : 0;
    std::ostringstream line;
    line << "import: " << t.rows << " rows, " << static_cast<long long>(rate) << " rows/s";
    if (total > 0) {
      const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
      line << ", " << static_cast<int>(share * 100) << "% done";
      if (share > 0 && share < 1) {
        line << ", about " << static_cast<long long>(seconds * (1 - share) / share) << " s left";
      }
    }
    std::cerr << line.str() << std::endl;
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point shown_ = started_;
};

// The database of the import: one connection, its document ids and the writer.
class Database {
 public:
  Database(const std::string& url, const domain::Catalog& catalog, std::string identifier_key)
      : url_(url) {
    std::vector<domain::Document> docs;
    for (const auto& [slug, d] : catalog.documents) docs.push_back(d);
    try {
      writer_.emplace(store::sync_documents(url, docs), std::move(identifier_key));
      connect();
    } catch (const std::runtime_error& e) {
      throw DatabaseError(e.what());
    }
  }

  // Writes a batch; once more on a fresh connection when its connection broke or another
  // writer took one of its references meanwhile (both leave nothing committed).
  std::vector<store::ImportOutcome> write(const std::vector<store::ImportRow>& rows, bool dry_run) {
    for (int attempt = 0;; ++attempt) {
      try {
        return writer_->write(*conn_, rows, dry_run);
      } catch (const pqxx::unique_violation&) {
        if (attempt > 0) throw;
      } catch (const pqxx::broken_connection& e) {
        if (attempt > 0)
          throw DatabaseError(std::string("the database connection was lost: ") + e.what());
        connect();
      }
    }
  }

 private:
  void connect() {
    try {
      conn_ = store::open_connection(url_, 0);
      store::ImportWriter::prepare(*conn_);
    } catch (const std::exception& e) {
      throw DatabaseError(std::string("cannot connect to the database: ") + e.what());
    }
  }

  std::string url_;
  std::optional<store::ImportWriter> writer_;
  std::unique_ptr<pqxx::connection> conn_;
};

// One batch on its way to the database: its rows, the rows of the same stretch of input that
// were rejected before it, and the answer of the writer once it comes.
struct Batch {
  std::vector<store::ImportRow> rows;
  std::vector<api::Rejection> rejections;
};

// Writes batches on a thread of its own while the next batch is read and checked: reading and
// checking use one core, PostgreSQL another. One batch at a time is written and at most one
// waits, so memory stays at about two batches whatever the input's size. Outcomes are counted
// and rejections written in input order.
class Pipeline {
 public:
  Pipeline(Database& db, bool dry_run, Totals& totals)
      : db_(db), dry_run_(dry_run), totals_(totals) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline() {
    // An exception elsewhere: let the batch on its way finish before the rows go away.
    if (writing_.valid()) writing_.wait();
  }

  // receipts: nullptr on a dry run.
  void submit(Batch batch, ErrorsFile& errors, ReceiptsFile* receipts) {
    finish();
    in_flight_ = std::move(batch);
    errors_ = &errors;
    receipts_ = receipts;
    if (in_flight_.rows.empty()) {
      writing_ =
          std::async(std::launch::deferred, [] { return std::vector<store::ImportOutcome>(); });
      return;
    }
    writing_ =
        std::async(std::launch::async, [this] { return db_.write(in_flight_.rows, dry_run_); });
  }

  // Waits for the batch on its way and accounts for it.
  void finish() {
    if (!writing_.valid()) return;
    const std::vector<store::ImportOutcome> outcomes = writing_.get();
    std::vector<api::Rejection> rejected = std::move(in_flight_.rejections);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      const store::ImportRow& row = in_flight_.rows[i];
      if (receipts_ != nullptr && !outcomes[i].receipt.empty()) {
        receipts_->add({std::to_string(row.line), *row.proposal.external_ref,
                        std::to_string(outcomes[i].id), outcomes[i].receipt});
      }
      switch (outcomes[i].kind) {
        case store::ImportOutcome::Kind::imported:
          ++totals_.imported;
          break;
        case store::ImportOutcome::Kind::duplicate:
          ++totals_.duplicates;
          break;
        case store::ImportOutcome::Kind::conflict:
          ++totals_.rejected;
          rejected.push_back(
              {row.line, *row.proposal.external_ref, "external_ref", outcomes[i].message});
          break;
      }
    }
    std::stable_sort(
        rejected.begin(), rejected.end(),
        [](const api::Rejection& a, const api::Rejection& b) { return a.line < b.line; });
    for (const api::Rejection& r : rejected) errors_->add(r);
    in_flight_ = {};
  }

 private:
  Database& db_;
  bool dry_run_;
  Totals& totals_;
  Batch in_flight_;
  ErrorsFile* errors_ = nullptr;
  ReceiptsFile* receipts_ = nullptr;
  std::future<std::vector<store::ImportOutcome>> writing_;
};

int run(const Options& o) {
  config::Config cfg;
  try {
    cfg = config::load(o.config, false);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  const std::string url = o.database_url.value_or(cfg.database.url);
  if (url.empty()) throw UsageError("no database: give --database-url or set USYNYS_DATABASE_URL");
  domain::Catalog catalog = config::load_catalog(cfg.documents);
  if (o.document && catalog.find(*o.document) == nullptr) {
    throw UsageError("--document: no document " + *o.document);
  }
  // Every input is opened and its header checked before anything is written.
  std::vector<std::unique_ptr<Source>> sources;
  for (const std::string& file : o.files) {
    try {
      sources.push_back(std::make_unique<Source>(file, format_of(file)));
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError(file + ": " + e.what());
    }
  }
  Database db(url, catalog, config::identifier_key(cfg));
  const api::ImportRows rows(catalog, o.channel, o.document);
  Totals totals;
  Progress progress;
  std::unique_ptr<ErrorsFile> shared;
  if (o.errors) shared = std::make_unique<ErrorsFile>(*o.errors);
  std::unique_ptr<ReceiptsFile> shared_receipts;
  if (o.receipts && !o.dry_run) shared_receipts = std::make_unique<ReceiptsFile>(*o.receipts);
  Pipeline pipeline(db, o.dry_run, totals);
  for (std::size_t f = 0; f < sources.size(); ++f) {
    Source& source = *sources[f];
    const std::string stem = o.files[f] == "-" ? "import" : o.files[f];
    std::unique_ptr<ErrorsFile> own;
    if (!shared) own = std::make_unique<ErrorsFile>(stem + ".errors.csv");
    ErrorsFile& errors = shared ? *shared : *own;
    std::unique_ptr<ReceiptsFile> own_receipts;
    if (!shared_receipts && !o.dry_run) {
      own_receipts = std::make_unique<ReceiptsFile>(stem + ".receipts.csv");
    }
    ReceiptsFile* receipts = shared_receipts ? shared_receipts.get() : own_receipts.get();
    Batch batch;
    std::vector<api::Rejection> rejections;
    store::ImportRow row;
    bool ok = false;
    while (source.next(rows, row, ok, rejections)) {
      ++totals.rows;
      if (ok) {
        batch.rows.push_back(std::move(row));
        row = {};
      } else {
        ++totals.rejected;
        std::move(rejections.begin(), rejections.end(), std::back_inserter(batch.rejections));
        rejections.clear();
      }
      if (batch.rows.size() >= kBatch) {
        pipeline.submit(std::exchange(batch, {}), errors, receipts);
      }
      progress.update(totals, source.bytes_read(), source.total());
    }
    pipeline.submit(std::exchange(batch, {}), errors, receipts);
    pipeline.finish();
    if (own) own->close();
    if (own_receipts) own_receipts->close();
  }
  if (shared) shared->close();
  if (shared_receipts) shared_receipts->close();
  progress.update(totals, 1, 1, true);
  std::printf("imported=%llu duplicates=%llu rejected=%llu seconds=%.1f\n",
              static_cast<unsigned long long>(totals.imported),
              static_cast<unsigned long long>(totals.duplicates),
              static_cast<unsigned long long>(totals.rejected), progress.seconds());
  std::fflush(stdout);
  return totals.rejected > 0 ? kRejected : kStored;
}

}  // namespace

int import_command(const std::vector<std::string>& args) {
  try {
    return run(parse(args));
  } catch (const UsageError& e) {
    std::cerr << "import: " << e.what() << "\n"
              << "usage: usynys import [--channel CHANNEL] [--document SLUG] [--dry-run] "
                 "[--errors FILE] [--receipts FILE] [--database-url URL] [--config FILE] FILE...\n";
    return kUsage;
  } catch (const DatabaseError& e) {
    std::cerr << "import: " << e.what() << std::endl;
    return kDatabase;
  } catch (const pqxx::broken_connection& e) {
    std::cerr << "import: the database connection was lost: " << e.what() << std::endl;
    return kDatabase;
  } catch (const std::exception& e) {
    std::cerr << "import: " << e.what() << std::endl;
    return kRejected;
  }
}

}  // namespace usynys::cli
