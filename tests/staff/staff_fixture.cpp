#include "staff_fixture.hpp"

#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/results_collector.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>

#include "support/paths.hpp"
#include "support/temp_dir.hpp"
#include "support/test_config.hpp"

namespace usynys::test::staff {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using boost::system::error_code;
using nlohmann::json;

namespace {

struct Shared {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<ServerProcess> server;
  Tokens tokens;
  std::string failure;
  bool started = false;
};

Shared& shared() {
  static Shared s;
  return s;
}

Token make_token(const std::string& role) {
  Token t;
  t.name = unique_name("test-" + role);
  ScriptResult r = run_script("scripts/token", {"create", t.name, role});
  if (r.exit_code != 0 || r.last_line.size() != 64) {
    throw std::runtime_error("scripts/token create " + t.name + " " + role + " failed (" +
                             std::to_string(r.exit_code) + "): " + r.output);
  }
  t.secret = r.last_line;
  return t;
}

void start_shared() {
  Shared& s = shared();
  s.started = true;
  try {
    const std::string url = database_url();
    {
      // Tokens of earlier runs of this tier; a developer's own tokens are left alone.
      Db db;
      pqxx::work tx(db.connection());
      tx.exec("DELETE FROM api_tokens WHERE name LIKE 'test-%'");
      tx.commit();
    }
    s.tokens.analyst = make_token("analyst");
    s.tokens.coder = make_token("coder");
    s.tokens.moderator = make_token("moderator");
    s.tokens.admin = make_token("admin");
    s.dir = std::make_unique<TempDir>("usynys-staff");
    // Proposals stay pending unless a case folds them (search_fold, stats_fold), so that
    // searches and statistics take the pending path, and a case can compare both paths.
    const auto config = write_test_config(
        s.dir->path(),
        {{"limits", {{"drain_timeout_ms", 5000}}}, {"intake", {{"fold_interval_ms", 3600000}}}});
    // Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default), which
    // would hide whether the export's memory stays bounded: keep it small.
    std::string asan = "quarantine_size_mb=4:thread_local_quarantine_size_kb=64";
    if (const char* have = std::getenv("ASAN_OPTIONS"); have != nullptr && *have != '\0') {
      asan = std::string(have) + ":" + asan;
    }
    EnvOverrides env = {{"USYNYS_PORT", "0"},
                        {"USYNYS_DATABASE_URL", url},
                        {"USYNYS_IDENTIFIER_KEY", "staff-identifier-key-0123456789abcdef"},
                        {"ASAN_OPTIONS", asan}};
    s.server =
        std::make_unique<ServerProcess>(server_binary(), config, env, std::chrono::seconds(60));
  } catch (const std::exception& e) {
    s.failure = e.what();
    std::cerr << "usynys staff tests: cannot start the server: " << e.what() << std::endl;
  }
}

}  // namespace

ServerProcess& server() {
  Shared& s = shared();
  if (!s.started) start_shared();
  if (!s.server) {
    throw std::runtime_error("the usynys server for the staff tests is not running: " + s.failure);
  }
  return *s.server;
}

const Tokens& tokens() {
  server();
  return shared().tokens;
}

void stop_server() {
  Shared& s = shared();
  if (s.server) {
    try {
      const int code = s.server->terminate(std::chrono::seconds(30));
      if (code != 0) {
        std::cerr << "usynys staff tests: the server exited with status " << code
                  << "; its output:\n"
                  << s.server->output() << std::endl;
      }
    } catch (const std::exception& e) {
      std::cerr << "usynys staff tests: " << e.what() << std::endl;
    }
  }
  s.server.reset();
  s.dir.reset();
}

ScriptResult run_script(const std::string& script, const std::vector<std::string>& args) {
  std::string cmd =
      shell_quote(source_file(script).string()) + " --database-url " + shell_quote(database_url());
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " 2>&1";
  ScriptResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run " + script);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::string out = r.output;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  r.last_line =
      out.substr(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
  return r;
}

std::string unique_name(const std::string& prefix) {
  static int counter = 0;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return prefix + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "-" +
         std::to_string(++counter);
}

Headers bearer(const std::string& secret) {
  return {{"Authorization", "Bearer " + secret}};
}

std::string valid_iin(std::mt19937_64& rng) {
  static constexpr int kFirst[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  static constexpr int kSecond[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
  for (;;) {
    std::string d;
    for (int i = 0; i < 11; ++i) d += static_cast<char>('0' + rng() % 10);
    int sum = 0;
    for (int i = 0; i < 11; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * kFirst[i];
    int check = sum % 11;
    if (check == 10) {
      sum = 0;
      for (int i = 0; i < 11; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * kSecond[i];
      check = sum % 11;
    }
    if (check != 10) return d + static_cast<char>('0' + check);
  }
}

std::string invalid_iin(const std::string& valid) {
  std::string d = valid;
  d[11] = static_cast<char>('0' + (d[11] - '0' + 1) % 10);
  return d;
}

std::string post_proposal(HttpClient& c, const json& body) {
  HttpResponse res = c.post_json("/api/v1/proposals", body.dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  return res.json().at("id").get<std::string>();
}

std::int64_t seed_proposals(Db& db, int n) {
  pqxx::work tx(db.connection());
  tx.exec_params(
      "INSERT INTO proposals (document_id, submitter_type, submitter_name, submitter_region, "
      "channel, language, kind, text, received_at) "
      "SELECT d.id, (ARRAY['citizen','party','organization','expert','state_body'])[1 + g % 5], "
      "       CASE WHEN g % 5 = 0 THEN NULL ELSE 'Seeded submitter ' || g END, "
      "       'Region ' || (g % 17), 'web', (ARRAY['kk','ru','en'])[1 + g % 3], 'comment', "
      "       'Seeded proposal ' || g || ', with a comma and \"quotes\"', "
      "       now() - make_interval(secs => $1::int - g) "
      "  FROM documents d, generate_series(1, $1::int) g WHERE d.slug = 'kz-1995' ORDER BY g",
      n);
  tx.exec_params(
      "INSERT INTO proposal_articles (proposal_id, document_id, article_id) "
      "SELECT p.id, p.document_id, '1' FROM proposals p "
      " WHERE NOT EXISTS (SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id = p.id)");
  const std::int64_t max_id = tx.exec1("SELECT max(id) FROM proposals")[0].as<std::int64_t>();
  tx.commit();
  return max_id;
}

std::int64_t vm_rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream s(line.substr(6));
      std::int64_t kib = 0;
      s >> kib;
      return kib;
    }
  }
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

std::optional<std::string> StreamedAnswer::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return std::nullopt;
}

StreamedAnswer stream_get(std::uint16_t port, const std::string& target, const Headers& headers,
                          const std::function<bool(std::string_view)>& on_data,
                          std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  // Each operation is bounded by `timeout` (the stream's timer); failures throw.
  auto run = [&](auto start, const char* what) {
    error_code result = asio::error::would_block;
    stream.expires_after(timeout);
    start([&result](error_code ec) { result = ec; });
    ioc.restart();
    ioc.run();
    stream.expires_never();
    if (result) throw std::runtime_error(std::string(what) + ": " + result.message());
  };
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  run([&](auto done) { stream.async_connect(ep, [done](error_code e) { done(e); }); }, "connect");
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [k, v] : headers) req.insert(k, v);
  run(
      [&](auto done) {
        bhttp::async_write(stream, req, [done](error_code e, std::size_t) { done(e); });
      },
      "send");

  StreamedAnswer out;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  bool stopped = false;
  auto on_chunk = [&](std::uint64_t, beast::string_view body, error_code&) -> std::size_t {
    out.bytes += body.size();
    if (!stopped && !on_data(std::string_view(body.data(), body.size()))) stopped = true;
    return body.size();
  };
  parser.on_chunk_body(on_chunk);
  while (!parser.is_done() && !stopped) {
    run(
        [&](auto done) {
          bhttp::async_read_some(stream, buffer, parser,
                                 [done](error_code e, std::size_t) { done(e); });
        },
        "read");
    if (parser.is_header_done() && out.status == 0) {
      out.status = static_cast<int>(parser.get().result_int());
      for (const auto& f : parser.get()) {
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      }
    }
  }
  out.complete = parser.is_done();
  if (out.complete && !parser.chunked()) {
    // A body with Content-Length (an error answer) is kept in the message.
    const std::string& body = parser.get().body();
    out.bytes += body.size();
    on_data(body);
  }
  error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream.close();
  return out;
}

StaffCase::StaffCase() {
  server();  // throws, failing the case, when there is no server
  db.truncate_proposals();
  output_at_start = server().output().size();
}

StaffCase::~StaffCase() {
  namespace ut = boost::unit_test;
  const auto id = ut::framework::current_test_case().p_id;
  if (!ut::results_collector.results(id).passed()) {
    std::string out;
    try {
      out = server().output();
    } catch (const std::exception& e) {
      out = std::string(e.what()) + "\n";
    }
    std::cerr << "---- usynys output during this case ----\n"
              << out.substr(std::min(output_at_start, out.size())) << "---- end ----" << std::endl;
  }
}

json proposal(const std::string& text, json articles) {
  return {{"submitter", {{"type", "citizen"}}}, {"articles", std::move(articles)}, {"text", text}};
}

}  // namespace usynys::test::staff
