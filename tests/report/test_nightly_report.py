"""Tests of scripts/nightly-report against a real PostgreSQL database and the real server.

Needs USYNYS_DATABASE_URL (a migrated database; scripts/test exports it) and USYNYS_SERVER (the
usynys binary; CTest passes it). The server is started once, on port 0, to load the documents
into the database, to group near-duplicate proposals into campaigns and to answer the
statistics API that the report must agree with. Proposals are inserted directly with SQL, each
seeding waiting until the server has compared them for campaigns; the tables of proposals and
runs are emptied between tests, documents never are. Run by hand:

    scripts/pg.sh start DIR        # DIR: a short path, unix socket paths are capped
    export USYNYS_DATABASE_URL="$(scripts/pg.sh url DIR)" USYNYS_SERVER="$PWD/build/dev/usynys"
    cd tests/report && /usr/bin/python3 -m unittest -v test_nightly_report
"""

import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
import zlib
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "nightly-report"
DOC = "kz-1995"
OTHER_DOC = "kz-2026-draft"
TYPES = ("citizen", "party", "organization", "expert", "state_body")
UTC = dt.timezone.utc
DAY = dt.date(2025, 3, 3)  # the report date of most tests

server = None  # the running usynys, started by setUpModule


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def api_time(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The known set of proposals: (key, document, received_at, submitter type, channel, language,
# region, status, [(article, paragraph)]). Boundaries on purpose: the last microsecond of a
# day, the first one of the next, hidden proposals, another document, a later day, a gap day.
REGION_ODD = '<b>"Karaganda", Region</b>'
REGION_FORMULA = '=HYPERLINK("http://example.org","Shymkent")'
SEEDS = [
    ("p0", DOC, at("2025-02-27T09:00:00"), "citizen", "web", "kk", "Almaty", "visible",
     [("99", None)]),
    ("p1", DOC, at("2025-03-01T08:00:00"), "citizen", "web", "kk", "Almaty", "visible",
     [("1", None), ("33", None)]),
    ("p2", DOC, at("2025-03-01T23:59:59.999999"), "organization", "email", "ru", "Astana",
     "visible", [("33", None), ("40", None)]),
    ("p3", DOC, at("2025-03-02T00:00:00"), "expert", "egov", "en", None, "visible",
     [("2", None)]),
    ("p4", DOC, at("2025-03-02T12:00:00"), "citizen", "web", None, "Almaty", "hidden",
     [("5", None), ("6", None)]),
    ("p5", DOC, at("2025-03-02T13:00:00"), "party", "mail", "kk", REGION_FORMULA, "visible",
     [("83-1", None), ("99", None)]),
    ("p6", DOC, at("2025-03-03T00:00:00"), "citizen", "e-otinish", "ru", "Astana", "visible",
     [("1", "2"), ("41", None)]),
    ("p7", DOC, at("2025-03-03T10:00:00"), "state_body", "hearing", "kk", None, "visible",
     [("41", None), ("42", None), ("94-1", None)]),
    ("p8", DOC, at("2025-03-03T15:00:00"), "citizen", "web", "kk", "Almaty", "hidden",
     [("11", None)]),
    ("p9", DOC, at("2025-03-03T23:59:59.999999"), "citizen", "web", "ru", REGION_ODD,
     "visible", [("10", None)]),
    ("p10", DOC, at("2025-03-04T00:00:00"), "citizen", "web", "kk", "Almaty", "visible",
     [("12", None)]),
    ("p11", DOC, at("2025-03-04T09:00:00"), "expert", "web", "en", None, "visible",
     [("1", None)]),
    ("p12", OTHER_DOC, at("2025-03-03T10:00:00"), "citizen", "web", "kk", "Almaty", "visible",
     [("1", None)]),
]


# The text of a seeded proposal: a word of its own, so that no two are near-duplicates (digits
# are no words to the campaign detector: "p1" and "p2" read the same).
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def own_text(key):
    return f"Proposal {key}: " + "".join(DIGITS[int(ch)] if ch.isdigit() else ch for ch in key)


# ----------------------------------------------------------------------------- helpers


class Server:
    """The usynys binary on port 0 with a test config; waits for its listening line."""

    def __init__(self, binary, database_url):
        self.dir = tempfile.mkdtemp(prefix="usynys-report-srv-")
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg["documents"]["dir"] = str(REPO / "config" / "documents")
        cfg["identifier_key_file"] = os.path.join(self.dir, "identifier.key")
        config = os.path.join(self.dir, "usynys.json")
        with open(config, "w", encoding="utf-8") as f:
            json.dump(cfg, f)
        env = dict(os.environ, USYNYS_PORT="0", USYNYS_DATABASE_URL=database_url,
                   USYNYS_IDENTIFIER_KEY="some-test-key-123456")
        self.log = open(os.path.join(self.dir, "stderr.log"), "wb")
        self.proc = subprocess.Popen([binary, "--config", config], stdout=subprocess.PIPE,
                                     stderr=self.log, stdin=subprocess.DEVNULL, env=env)
        self.port = None
        self.output = []
        ready = threading.Event()

        def read():  # keeps draining stdout so that the server never blocks on it
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.output.append(line)
                m = re.match(r"usynys: listening on [0-9.]+:([0-9]+)$", line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not ready.wait(60) or self.port is None:
            self.stop(wait_s=0)
            log = Path(self.dir, "stderr.log").read_text(errors="replace")
            shutil.rmtree(self.dir, ignore_errors=True)
            raise RuntimeError("usynys did not start: "
                               + " | ".join(self.output[-5:] + log.splitlines()[-5:]))

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))

    def stop(self, wait_s=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(wait_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(10)
        self.proc.stdout.close()
        self.log.close()
        if wait_s:
            shutil.rmtree(self.dir, ignore_errors=True)


def database_url():
    url = os.environ.get("USYNYS_DATABASE_URL")
    if not url:
        raise RuntimeError("USYNYS_DATABASE_URL is not set: these tests need a migrated "
                           "database (scripts/test exports it; by hand: scripts/pg.sh start DIR)")
    return url


def setUpModule():
    global server
    url = database_url()
    binary = os.environ.get("USYNYS_SERVER")
    if not binary or not os.access(binary, os.X_OK):
        raise RuntimeError(f"USYNYS_SERVER must name the usynys binary (got {binary!r})")
    server = Server(binary, url)


def tearDownModule():
    if server is not None:
        server.stop()


def connect():
    return psycopg2.connect(database_url())


def truncate():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("TRUNCATE proposals, proposal_articles, report_runs RESTART IDENTITY CASCADE")
    conn.close()


def wait_for_campaigns(timeout_s=60):
    """Returns once the server's campaign thread has compared every proposal inserted
    (campaign_pending is empty: its decisions are committed with the marks' removal)."""
    deadline = time.monotonic() + timeout_s
    conn = connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            while True:
                cur.execute("SELECT count(*) FROM campaign_pending")
                left = cur.fetchone()[0]
                if left == 0:
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"{left} proposals still not compared for campaigns "
                                         f"after {timeout_s} s")
                time.sleep(0.05)
    finally:
        conn.close()


def seed(seeds=SEEDS, suggestions=None, retag=None, texts=None):
    """Inserts the seeds; returns {key: proposal id} once the server has compared them for
    campaigns. suggestions: {key: [(article, score)]}, stored as the service stores them, in
    the same transaction (so that the server's own suggester never takes these proposals);
    retag: {key: [article]}, references replaced as a coder's are; texts: {key: text}, else
    own_text(key)."""
    ids = {}
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT slug, id FROM documents")
        docs = dict(cur.fetchall())
        for key, doc, received, stype, channel, lang, region, status, refs in seeds:
            cur.execute(
                "INSERT INTO proposals (document_id, submitter_type, submitter_name, "
                "submitter_region, channel, language, kind, text, received_at, status) "
                "VALUES (%s, %s, %s, %s, %s, %s, 'comment', %s, %s, %s) RETURNING id",
                (docs[doc], stype, None if stype == "citizen" else f"Name of {key}", region,
                 channel, lang, (texts or {}).get(key, own_text(key)), received, status))
            ids[key] = cur.fetchone()[0]
            for article, paragraph in refs:
                cur.execute("INSERT INTO proposal_articles (proposal_id, document_id, "
                            "article_id, paragraph) VALUES (%s, %s, %s, %s)",
                            (ids[key], docs[doc], article, paragraph))
        if suggestions:
            rows = [{"id": ids[k], "language": "ru", "articles": [a for a, _ in v],
                     "scores": [x for _, x in v]} for k, v in suggestions.items()]
            cur.execute("SELECT suggestions_store(%s::jsonb, 'test/1')", (json.dumps(rows),))
        for key, articles in (retag or {}).items():
            cur.execute("SELECT 1 FROM proposals WHERE id = %s FOR UPDATE", (ids[key],))
            cur.execute("SELECT proposal_set_references(%s, %s::text[], %s::text[])",
                        (ids[key], articles, [""] * len(articles)))
    conn.close()
    wait_for_campaigns()
    return ids


def structure(slug=DOC):
    """The document's sections and articles as stored (static data, not counts)."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT id, source_sha256 FROM documents WHERE slug = %s", (slug,))
        doc_id, sha = cur.fetchone()
        cur.execute("SELECT number, roman, title FROM sections WHERE document_id = %s "
                    "ORDER BY number", (doc_id,))
        sections = cur.fetchall()
        cur.execute("SELECT article_id, section_number, chars, repealed FROM articles "
                    "WHERE document_id = %s ORDER BY position", (doc_id,))
        articles = cur.fetchall()
    conn.close()
    return sha, sections, articles


def run_report(*args, env=None):
    e = dict(os.environ)
    if env is not None:
        e = env
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=e,
                          timeout=120)


def expected(day, ids, seeds=SEEDS, slug=DOC):
    """The figures computed independently from the seeds and the stored document."""
    sha, sections, articles = structure(slug)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
    start = end - dt.timedelta(days=1)
    counted = [s for s in seeds if s[1] == slug and s[7] == "visible" and s[2] < end]
    roman = {n: r for n, r, _ in sections}
    live = [a for a in articles if not a[3]]
    per_article = {}
    for key, _, received, stype, *_rest, refs in counted:
        for article, _ in refs:
            e = per_article.setdefault(article, {"n": 0, "types": {t: 0 for t in TYPES},
                                                 "first": received, "last": received})
            e["n"] += 1
            e["types"][stype] += 1
            e["first"] = min(e["first"], received)
            e["last"] = max(e["last"], received)
    touched = [a for a in live if a[0] in per_article]
    before = [a for a in touched if per_article[a[0]]["first"] < start]
    fig = {
        "document": slug,
        "date": day.isoformat(),
        "proposals": len(counted),
        "proposals_that_day": len([s for s in counted if s[2] >= start]),
        "articles_total": len(live),
        "articles_touched": len(touched),
        "articles_share": len(touched) / len(live),
        "sections_total": len({a[1] for a in live}),
        "sections_touched": len({a[1] for a in touched}),
        "content_chars_total": sum(a[2] for a in live),
        "content_chars_touched": sum(a[2] for a in touched),
        "untouched_articles": [a[0] for a in live if a[0] not in per_article],
        "new_articles_touched": len(touched) - len(before),
        "new_articles_touched_ids": [a[0] for a in touched if a not in before],
    }
    fig["sections_share"] = fig["sections_touched"] / fig["sections_total"]
    fig["content_share"] = fig["content_chars_touched"] / fig["content_chars_total"]
    rows = []
    for article_id, section, chars, repealed in articles:
        e = per_article.get(article_id)
        rows.append([article_id, roman[section], str(chars), "true" if repealed else "false",
                     str(e["n"] if e else 0), api_time(e["first"]) if e else "",
                     api_time(e["last"]) if e else ""]
                    + [str(e["types"][t] if e else 0) for t in TYPES])
    section_rows = []
    for number, rom, title in sections:
        in_s = [a for a in live if a[1] == number]
        t = [a for a in in_s if a[0] in per_article]
        props = {s[0] for s in counted for article, _ in s[8]
                 if any(a[0] == article and a[1] == number for a in live)}
        tot, tch = sum(a[2] for a in in_s), sum(a[2] for a in t)
        section_rows.append([rom, title, str(len(in_s)), str(len(t)),
                             repr(len(t) / len(in_s) if in_s else 0.0), str(len(props)),
                             str(tot), str(tch), repr(tch / tot if tot else 0.0)])
    max_id = max((ids[s[0]] for s in counted), default=0)
    return fig, rows, section_rows, {"max_id": max_id, "sha": sha}


def read_csv(path):
    raw = path.read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def check_png(test, path):
    data = path.read_bytes()
    test.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n", path.name)
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        test.assertEqual(zlib.crc32(kind + body) & 0xffffffff, crc, f"{path.name}: bad CRC")
        chunks.append((kind, body))
        pos += 12 + length
    test.assertEqual(chunks[0][0], b"IHDR")
    test.assertEqual(chunks[-1][0], b"IEND")
    width, height = struct.unpack(">II", chunks[0][1][:8])
    test.assertGreater(width, 300)
    test.assertGreater(height, 200)
    test.assertGreater(sum(len(b) for k, b in chunks if k == b"IDAT"), 1000)
    return width, height


def runs():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT report_date, document, fingerprint, status, duration_ms, error "
                    "FROM report_runs ORDER BY id")
        rows = cur.fetchall()
    conn.close()
    return rows


# ----------------------------------------------------------------------------- tests


class ReportFiguresTest(unittest.TestCase):
    """One seeded data set, reported for DAY (and a few other dates)."""

    @classmethod
    def setUpClass(cls):
        truncate()
        cls.ids = seed()
        cls.tmp = tempfile.mkdtemp(prefix="usynys-report-")
        cls.out = Path(cls.tmp, "out")
        cls.result = run_report("--date", DAY.isoformat(), "--document", DOC,
                                "--out", str(cls.out), "--database-url", database_url())
        cls.dir = cls.out / DOC / DAY.isoformat()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def summary(self):
        return json.loads((self.dir / "summary.json").read_text(encoding="utf-8"))

    def test_prints_one_summary_line(self):
        self.assertEqual(self.result.stderr, "")
        lines = self.result.stdout.splitlines()
        self.assertEqual(len(lines), 1, self.result.stdout)
        self.assertIn(f"{DOC} {DAY.isoformat()}", lines[0])
        self.assertIn(str(self.dir), lines[0])

    def test_writes_every_file(self):
        self.assertEqual(sorted(os.listdir(self.dir)), sorted([
            "index.html", "timeline.png", "articles.png", "coverage-map.png", "summary.json",
            "articles.csv", "sections.csv", "breakdowns.csv", "you-said-we-did.html",
            "you-said-we-did.csv", "MANIFEST"]))

    def test_summary_has_the_exact_figures(self):
        fig, _, _, inp = expected(DAY, self.ids)
        s = self.summary()
        for key, value in fig.items():
            self.assertEqual(s[key], value, key)
            self.assertIs(type(s[key]), type(value), key)
        # p0 p1 p2 p3 p5 p6 p7 p9: not the hidden p4 and p8, nor p10 (the next day's first
        # microsecond), p11 or p12 (another document).
        self.assertEqual(s["proposals"], 8)
        self.assertEqual(s["proposals_that_day"], 3)
        self.assertEqual(s["new_articles_touched_ids"], ["10", "41", "42", "94-1"])
        self.assertEqual(s["definitions_version"], "usynys-coverage-1")
        self.assertRegex(s["fingerprint"], "^[0-9a-f]{64}$")
        self.assertEqual(s["input"]["max_proposal_id"], inp["max_id"])
        self.assertEqual(s["input"]["source_sha256"], inp["sha"])
        self.assertEqual(s["previous_day"]["proposals"], 5)

    def test_no_campaign_without_near_duplicates(self):
        c = self.summary()["campaigns"]
        self.assertEqual((c["campaigns_total"], c["proposals_in_campaigns"], c["largest"],
                          c["articles"]), (0, 0, [], []))
        self.assertEqual(c["proposals_unique"], 8)
        api = server.get(f"/api/v1/stats/coverage?document={DOC}&to={DAY}")
        self.assertEqual(c["proposals_unique"], api["proposals_unique"])
        self.assertRegex(self.summary()["input"]["campaigns_sha256"], "^[0-9a-f]{64}$")
        page = (self.dir / "index.html").read_text(encoding="utf-8")
        self.assertIn('<section id="campaigns">', page)
        self.assertIn("No campaign:", page)
        self.assertNotIn("campaigns.csv", page)

    def test_articles_csv_is_exact(self):
        _, rows, _, _ = expected(DAY, self.ids)
        raw, got = read_csv(self.dir / "articles.csv")
        self.assertEqual(got[0], ["article", "section", "chars", "repealed", "proposals",
                                  "first_at", "last_at", *TYPES])
        self.assertEqual(got[1:], rows)
        self.assertTrue(raw.endswith(b"\r\n"))
        self.assertEqual(raw.count(b"\r\n"), raw.count(b"\n"))  # CRLF throughout

    def test_sections_csv_is_exact(self):
        _, _, section_rows, _ = expected(DAY, self.ids)
        raw, got = read_csv(self.dir / "sections.csv")
        self.assertEqual(got[0], ["section", "title", "articles_total", "articles_touched",
                                  "articles_share", "proposals", "content_chars_total",
                                  "content_chars_touched", "content_share"])
        self.assertEqual(got[1:], section_rows)

    def test_breakdowns_csv_counts_and_quotes(self):
        raw, got = read_csv(self.dir / "breakdowns.csv")
        rows = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in got[1:]}
        self.assertEqual(rows[("submitter_type", "citizen")], (4, 2))
        self.assertEqual(rows[("submitter_type", "organization")], (1, 0))
        self.assertEqual(rows[("submitter_type", "state_body")], (1, 1))
        self.assertEqual(rows[("channel", "mail")], (1, 0))
        self.assertEqual(rows[("language", "ru")], (3, 2))
        self.assertEqual(rows[("region", "")], (2, 1))  # not given
        self.assertEqual(rows[("region", REGION_ODD)], (1, 1))
        self.assertIn(b'"<b>""Karaganda"", Region</b>"', raw)  # RFC 4180 quoting
        # A spreadsheet would run it as a formula: it is kept behind an apostrophe.
        self.assertEqual(rows[("region", "'" + REGION_FORMULA)], (1, 0))
        self.assertNotIn(("region", REGION_FORMULA), rows)
        for dim in ("submitter_type", "channel", "language", "region"):
            self.assertEqual(sum(n for (d, _), (n, _) in rows.items() if d == dim), 8, dim)
            self.assertEqual(sum(k for (d, _), (_, k) in rows.items() if d == dim), 3, dim)

    def test_equals_the_coverage_api(self):
        for day in (DAY, dt.date(2025, 2, 26), dt.date(2025, 3, 1), dt.date(2025, 3, 4)):
            with self.subTest(day=day):
                if day == DAY:
                    s = self.summary()
                else:
                    r = run_report("--date", day.isoformat(), "--out", str(self.out),
                                   "--database-url", database_url())
                    self.assertEqual(r.returncode, 0, r.stderr)
                    s = json.loads((self.out / DOC / day.isoformat() / "summary.json")
                                   .read_text(encoding="utf-8"))
                api = server.get(f"/api/v1/stats/coverage?document={DOC}&to={day}")
                for key in ("document", "proposals", "articles_total", "articles_touched",
                            "articles_share", "sections_total", "sections_touched",
                            "sections_share", "content_chars_total", "content_chars_touched",
                            "content_share", "untouched_articles"):
                    self.assertEqual(s[key], api[key], key)

    def test_articles_equal_the_articles_api(self):
        api = server.get(f"/api/v1/stats/articles?document={DOC}&to={DAY}")
        _, got = read_csv(self.dir / "articles.csv")
        by_id = {r[0]: r for r in got[1:]}
        self.assertEqual([a["article"] for a in api["articles"]], [r[0] for r in got[1:]])
        for a in api["articles"]:
            row = by_id[a["article"]]
            self.assertEqual(int(row[4]), a["proposals"], a["article"])
            self.assertEqual(row[5] or None, a["first_at"], a["article"])
            self.assertEqual(row[6] or None, a["last_at"], a["article"])
            for i, t in enumerate(TYPES):
                self.assertEqual(int(row[7 + i]), a["by_submitter_type"].get(t, 0))

    def test_the_draft_carries_over_the_1995_proposals_as_the_via_api_counts(self):
        r = run_report("--date", DAY.isoformat(), "--document", OTHER_DOC, "--out",
                       str(self.out), "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        out = self.out / OTHER_DOC / DAY.isoformat()
        s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        c = s["carried_over"]
        api = server.get(f"/api/v1/stats/coverage?document={OTHER_DOC}&via={DOC}&to={DAY}")
        for key in ("proposals", "untagged", "articles_total", "articles_touched",
                    "articles_share", "sections_total", "sections_touched", "sections_share",
                    "content_chars_total", "content_chars_touched", "content_share",
                    "untouched_articles"):
            self.assertEqual(c[key], api[key], key)
        self.assertEqual(c["from"], DOC)
        self.assertEqual(c["from_proposals"], api["via"]["proposals"])
        self.assertEqual(c["pairs_confirmed"], api["via"]["pairs_confirmed"])
        self.assertEqual(c["pairs_suggested"], api["via"]["pairs_suggested"])
        self.assertGreater(c["articles_touched"], s["articles_touched"])
        # The map's rows: proposals per article equal the articles API through the map.
        articles = server.get(f"/api/v1/stats/articles?document={OTHER_DOC}&via={DOC}&to={DAY}")
        _, rows = read_csv(out / "carried-over.csv")
        self.assertEqual(rows[0][:3], ["article", "section", "predecessors"])
        by_id = {row[0]: row for row in rows[1:]}
        self.assertEqual([a["article"] for a in articles["articles"]], [row[0] for row in rows[1:]])
        for a in articles["articles"]:
            self.assertEqual(int(by_id[a["article"]][9]), a["proposals"], a["article"])
        self.assertEqual(by_id["13"][2], "10")
        page = (out / "index.html").read_text(encoding="utf-8")
        self.assertIn(f"Carried over from the {DOC} text", page)
        self.assertIn("carried_over", s["input"])
        # The 1995 text has no map onto it, and its report no such section.
        self.assertNotIn("carried_over", self.summary())
        self.assertFalse((self.dir / "carried-over.csv").exists())

    def test_rerun_is_byte_identical_and_replaces_atomically(self):
        names = ("summary.json", "articles.csv", "sections.csv", "breakdowns.csv",
                 "index.html")
        before = {n: (self.dir / n).read_bytes() for n in names}
        stale = self.out / DOC / f".tmp-{DAY}-stale"  # as left by a killed run
        stale.mkdir()
        r = run_report("--date", DAY.isoformat(), "--out", str(self.out),
                       "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        for n in names:
            self.assertEqual((self.dir / n).read_bytes(), before[n], n)
        left = sorted(n for n in os.listdir(self.out / DOC) if n.startswith("."))
        self.assertEqual(left, [".lock"])

    def test_charts_are_valid_pngs(self):
        for name in ("timeline.png", "articles.png", "coverage-map.png"):
            with self.subTest(chart=name):
                check_png(self, self.dir / name)

    def test_manifest_hashes_match(self):
        text = (self.dir / "MANIFEST").read_text(encoding="utf-8")
        s = self.summary()
        self.assertIn(f"# definitions_version: {s['definitions_version']}\n", text)
        self.assertIn(f"# fingerprint: {s['fingerprint']}\n", text)
        self.assertIn(f"# input.proposals: {s['proposals']}\n", text)
        self.assertIn(f"# input.max_proposal_id: {s['input']['max_proposal_id']}\n", text)
        self.assertIn(f"# input.source_sha256: {s['input']['source_sha256']}\n", text)
        listed = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                digest, name = line.split("  ", 1)
                listed[name] = digest
        files = sorted(n for n in os.listdir(self.dir) if n != "MANIFEST")
        self.assertEqual(sorted(listed), files)
        for name, digest in listed.items():
            self.assertEqual(hashlib.sha256((self.dir / name).read_bytes()).hexdigest(),
                             digest, name)

    def test_page_is_self_contained_and_escaped(self):
        page = (self.dir / "index.html").read_text(encoding="utf-8")
        self.assertNotRegex(page, r"""(src|href)\s*=\s*["']?(https?:)?//""")
        self.assertNotIn("@import", page)
        self.assertNotIn("url(", page)
        self.assertNotIn(REGION_ODD, page)
        self.assertIn(html.escape(REGION_ODD, quote=True), page)
        for img in re.findall(r'<img src="([^"]+)"', page):
            self.assertTrue((self.dir / img).is_file(), img)
        self.assertIn("@media print", page)
        for text in ("Since the previous day", "Top 10 articles", "nobody has touched",
                     "Campaigns", "Submitter type", "Channel", "Language", "Region"):
            self.assertIn(text, page)

    def test_runs_are_recorded(self):
        rows = [r for r in runs() if r[0] == DAY]
        self.assertTrue(rows)
        date, doc, fingerprint, status, duration_ms, error = rows[0]
        self.assertEqual((doc, status, error), (DOC, "ok", None))
        self.assertEqual(fingerprint, self.summary()["fingerprint"])
        self.assertGreaterEqual(duration_ms, 0)


UNTAGGED = [
    ("u0", DOC, at("2025-03-02T10:00:00"), "citizen", "web", "ru", None, "visible", []),
    ("u1", DOC, at("2025-03-03T11:00:00"), "citizen", "egov", "kk", None, "visible", []),
    ("u2", DOC, at("2025-03-03T12:00:00"), "party", "web", "ru", None, "visible", []),
    ("u3", DOC, at("2025-03-03T13:00:00"), "citizen", "web", "en", None, "hidden", []),
]


class ReportTaggingTest(unittest.TestCase):
    """Tagged, untagged and estimated proposals side by side, as the statistics API counts
    them with include_suggested."""

    @classmethod
    def setUpClass(cls):
        truncate()
        # u0 and u3 (hidden) have estimates; u1's best score is below the threshold; u2 is
        # tagged by a coder; p3's own reference is replaced by a coder's.
        cls.ids = seed(SEEDS + UNTAGGED,
                       suggestions={"u0": [("77", 0.95), ("78", 0.5)],
                                    "u1": [("3", 0.2), ("4", 0.1)],
                                    "u2": [("50", 0.99)], "u3": [("60", 0.9)],
                                    "p1": [("70", 0.99)]},
                       retag={"u2": ["51"], "p3": ["52"]})
        cls.tmp = tempfile.mkdtemp(prefix="usynys-report-tagging-")
        cls.out = Path(cls.tmp, "out")
        cls.result = run_report("--date", DAY.isoformat(), "--document", DOC,
                                "--out", str(cls.out), "--database-url", database_url())
        cls.dir = cls.out / DOC / DAY.isoformat()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_tagged_untagged_and_estimated_equal_the_api(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        s = json.loads((self.dir / "summary.json").read_text(encoding="utf-8"))
        t = s["tagging"]
        self.assertEqual(t["untagged"], 2)  # u0, u1 (u3 hidden, u2 tagged)
        self.assertEqual(t["estimated"], 1)  # u0
        self.assertEqual(t["untagged_without_estimate"], 1)
        self.assertEqual(t["tagged_by_staff"], 2)  # u2 and p3
        self.assertEqual(t["tagged"], t["tagged_by_submitter"] + t["tagged_by_staff"])
        api = server.get(f"/api/v1/stats/coverage?document={DOC}&to={DAY}&include_suggested=true")
        w = t["with_estimates"]
        for key in ("proposals", "untagged", "articles_total", "articles_touched",
                    "articles_share", "sections_total", "sections_touched", "sections_share",
                    "content_chars_total", "content_chars_touched", "content_share",
                    "untouched_articles", "estimated_proposals"):
            self.assertEqual(w[key], api[key], key)
        self.assertTrue(api["estimated"])
        self.assertNotIn("77", w["untouched_articles"])
        self.assertIn("77", s["untouched_articles"])
        plain = server.get(f"/api/v1/stats/coverage?document={DOC}&to={DAY}")
        self.assertEqual(s["articles_touched"], plain["articles_touched"])
        page = (self.dir / "index.html").read_text(encoding="utf-8")
        self.assertIn("Tagged, untagged and estimated", page)

# Form letters: a, b and c are three campaigns of DOC, x one of OTHER_DOC (campaigns never
# cross documents). a4 is hidden; a5 and c1 arrive after DAY, so that as of DAY campaign a has
# 4 counted members, b 2 and c only 1: no campaign yet.
LETTER_A = ("We the residents of our district ask the commission to keep the right of every "
            "citizen to a free and fair trial, and to open the courts to the public in every "
            "case that concerns the rights and freedoms of a person. Judges must be "
            "independent and answer only to the law.")
LETTER_B = ("Land and its riches belong to the people. The constitution must forbid selling "
            "farmland to foreign owners and guarantee that pastures around villages stay in "
            "common use for the families who live there.")
LETTER_C = ("Local akims should be elected directly by the residents of each district and "
            "city, for a term of four years, and report to an elected council every year in "
            "a public meeting.")
CAMPAIGN_TEXTS = {
    "a0": LETTER_A,
    "a1": "Dear commission, " + LETTER_A.upper().replace(",", ""),
    "a2": LETTER_A + " We hope to be heard.",
    "a3": LETTER_A.replace("district", "village"),
    "a4": LETTER_A,
    "a5": "No. 5. " + LETTER_A,
    "b0": LETTER_B,
    "b1": LETTER_B.lower() + " 2025",
    "c0": LETTER_C,
    "c1": LETTER_C.replace("four", "five"),
    "x0": LETTER_A,
    "x1": LETTER_A,
}
CAMPAIGN_SEEDS = [
    ("a0", DOC, at("2025-03-01T10:00:00"), "citizen", "web", "ru", "Almaty", "visible",
     [("1", None), ("33", None)]),
    ("a1", DOC, at("2025-03-02T11:00:00"), "citizen", "e-otinish", "ru", "Almaty", "visible",
     [("1", None), ("33", None)]),
    ("a2", DOC, at("2025-03-03T09:00:00"), "citizen", "web", "kk", None, "visible",
     [("1", None)]),
    ("a3", DOC, at("2025-03-03T20:00:00"), "organization", "email", "ru", "Astana", "visible",
     [("2", None), ("33", None)]),
    ("a4", DOC, at("2025-03-03T21:00:00"), "citizen", "web", "ru", None, "hidden",
     [("1", None)]),
    ("a5", DOC, at("2025-03-04T08:00:00"), "citizen", "web", "ru", None, "visible",
     [("1", None)]),
    ("b0", DOC, at("2025-03-02T14:00:00"), "party", "mail", "kk", None, "visible",
     [("41", None)]),
    ("b1", DOC, at("2025-03-03T23:59:59.999999"), "citizen", "hearing", "kk", None, "visible",
     [("41", None), ("42", None)]),
    ("c0", DOC, at("2025-03-02T09:00:00"), "expert", "egov", "en", None, "visible",
     [("10", None)]),
    ("c1", DOC, at("2025-03-04T00:00:00"), "expert", "web", "en", None, "visible",
     [("10", None), ("12", None)]),
    ("x0", OTHER_DOC, at("2025-03-02T10:00:00"), "citizen", "web", "ru", None, "visible",
     [("1", None)]),
    ("x1", OTHER_DOC, at("2025-03-03T10:00:00"), "citizen", "web", "ru", None, "visible",
     [("1", None)]),
]
LATER = dt.date(2025, 3, 4)  # the day of the last seed: every campaign member counts


class ReportCampaignsTest(unittest.TestCase):
    """Campaigns as of the report's date, counted as the statistics API counts them."""

    @classmethod
    def setUpClass(cls):
        truncate()
        cls.ids = seed(SEEDS + CAMPAIGN_SEEDS, texts=CAMPAIGN_TEXTS)
        cls.tmp = tempfile.mkdtemp(prefix="usynys-report-campaigns-")
        cls.out = Path(cls.tmp, "out")
        cls.results = {day: run_report("--date", day.isoformat(), "--document", DOC,
                                       "--out", str(cls.out), "--database-url", database_url())
                       for day in (dt.date(2025, 3, 1), DAY, LATER)}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def summary(self, day):
        r = self.results[day]
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads((self.out / DOC / day.isoformat() / "summary.json")
                          .read_text(encoding="utf-8"))

    def test_campaigns_as_of_the_end_of_the_day(self):
        c = self.summary(DAY)["campaigns"]
        # 8 of SEEDS, a0-a3, b0, b1 and c0; a and b hold 6, counted as 2.
        self.assertEqual((c["campaigns_total"], c["proposals_in_campaigns"],
                          c["proposals_unique"]), (2, 6, 11))
        self.assertEqual(c["proposals_in_campaigns_share"], 6 / 15)
        a, b = c["largest"]
        self.assertEqual((a["size"], a["that_day"], a["articles"]), (4, 2, ["1", "2", "33"]))
        self.assertEqual((a["first_at"], a["last_at"]),
                         ("2025-03-01T10:00:00.000000Z", "2025-03-03T20:00:00.000000Z"))
        self.assertEqual(a["by_channel"], {"web": 2, "e-otinish": 1, "email": 1})
        self.assertEqual(a["by_submitter_type"], {"citizen": 3, "organization": 1})
        self.assertEqual((b["size"], b["articles"], b["by_channel"]),
                         (2, ["41", "42"], {"mail": 1, "hearing": 1}))
        self.assertEqual(b["last_at"], "2025-03-03T23:59:59.999999Z")
        self.assertEqual([(x["id"], x["proposals"], x["proposals_unique"])
                          for x in c["articles"]], [("1", 5, 3), ("33", 5, 3), ("41", 4, 3)])
        # By the end of 03-01 only a0 of the letters had arrived: a campaign of one.
        early = self.summary(dt.date(2025, 3, 1))["campaigns"]
        self.assertEqual((early["campaigns_total"], early["proposals_unique"]), (0, 4))

    def test_equals_the_campaigns_api_once_every_member_counts(self):
        s = self.summary(LATER)
        c = s["campaigns"]
        api = server.get(f"/api/v1/stats/campaigns?document={DOC}")
        self.assertEqual(api["min_size"], c["min_size"])
        self.assertEqual(c["campaigns_total"], api["campaigns_total"])
        self.assertEqual(c["proposals_in_campaigns"], api["proposals_in_campaigns"])
        self.assertEqual([x["size"] for x in api["campaigns"]], [5, 2, 2])  # a4 is hidden
        self.assertEqual(len(c["largest"]), len(api["campaigns"]))
        for mine, theirs in zip(c["largest"], api["campaigns"]):
            for key in ("id", "size", "articles", "first_at", "last_at", "by_channel",
                        "by_submitter_type"):
                self.assertEqual(mine[key], theirs[key], key)
        self.assertEqual(c["proposals_unique"], 19 - (9 - 3))
        # The same campaigns as of DAY: the API's without the members received after it.
        day = self.summary(DAY)["campaigns"]
        self.assertEqual([x["id"] for x in day["largest"]],
                         [x["id"] for x in api["campaigns"][:2]])

    def test_proposals_unique_equal_the_statistics_api(self):
        for day in (dt.date(2025, 3, 1), DAY, LATER):
            with self.subTest(day=day):
                s = self.summary(day)
                c = s["campaigns"]
                coverage = server.get(f"/api/v1/stats/coverage?document={DOC}&to={day}")
                self.assertEqual(s["proposals"], coverage["proposals"])
                self.assertEqual(c["proposals_unique"], coverage["proposals_unique"])
                articles = server.get(f"/api/v1/stats/articles?document={DOC}&to={day}")
                differ = [(a["article"], a["proposals"], a["proposals_unique"])
                          for a in articles["articles"]
                          if a["proposals"] != a["proposals_unique"]]
                self.assertEqual([(x["id"], x["proposals"], x["proposals_unique"])
                                  for x in c["articles"]], differ)
                for a in articles["articles"]:
                    self.assertIsNotNone(a["proposals_unique"], a["article"])
                if day == DAY:
                    detail = server.get(f"/api/v1/stats/articles/1?document={DOC}&to={day}")
                    self.assertEqual(detail["proposals_unique"], 3)

    def test_page_and_csv(self):
        s = self.summary(DAY)
        out = self.out / DOC / DAY.isoformat()
        page = (out / "index.html").read_text(encoding="utf-8")
        flat = " ".join(page.split())
        self.assertIn('<section id="campaigns"><h2>Campaigns</h2>', flat)
        self.assertIn("6 proposals of 15 (40.0%) belong to 2 campaigns", flat)
        self.assertIn("there are 11 unique positions", flat)
        self.assertIn("Per article: proposals vs unique positions", flat)
        self.assertIn(f"GET /api/v1/stats/campaigns?document={DOC}", flat)
        self.assertIn("GET /api/v1/campaigns/{id}", flat)
        self.assertIn('<a href="campaigns.csv">campaigns.csv</a>', flat)
        for x in s["campaigns"]["largest"]:
            self.assertIn(f"<code>{x['id']}</code>", page)
        # No text of any proposal: the letters are for staff only.
        for letter in (LETTER_A, LETTER_B, LETTER_C):
            self.assertNotIn(letter[:40], page)
            self.assertNotIn(letter[:40], json.dumps(s))
        self.assertNotIn("Proposal p", page)
        _, rows = read_csv(out / "campaigns.csv")
        self.assertEqual(rows[0], ["campaign", "proposals", "share", "proposals_that_day",
                                   "first_at", "last_at", "articles", "web", "e-otinish", "egov",
                                   "email", "mail", "hearing", *TYPES])
        self.assertEqual([(r[0], int(r[1]), r[6]) for r in rows[1:]],
                         [(x["id"], x["size"], " ".join(x["articles"]))
                          for x in s["campaigns"]["largest"]])
        self.assertEqual([int(v) for v in rows[1][7:13]], [2, 1, 0, 1, 0, 0])
        self.assertIn("campaigns.csv", (out / "MANIFEST").read_text(encoding="utf-8"))
        self.assertIn("campaigns_sha256", s["input"])
        # Before any campaign: no file, an empty section.
        early = self.out / DOC / "2025-03-01"
        self.assertFalse((early / "campaigns.csv").exists())
        self.assertIn("No campaign:", (early / "index.html").read_text(encoding="utf-8"))

    def test_rerun_is_byte_identical(self):
        self.summary(DAY)
        out = self.out / DOC / DAY.isoformat()
        names = ("summary.json", "campaigns.csv", "index.html", "MANIFEST")
        before = {n: (out / n).read_bytes() for n in names}
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(self.out),
                       "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        for n in names:
            self.assertEqual((out / n).read_bytes(), before[n], n)

    def test_another_documents_campaign_stays_there(self):
        api = server.get(f"/api/v1/stats/campaigns?document={OTHER_DOC}")
        self.assertEqual([x["size"] for x in api["campaigns"]], [2])
        mine = {x["id"] for x in self.summary(LATER)["campaigns"]["largest"]}
        self.assertNotIn(api["campaigns"][0]["id"], mine)


def decide(cur, decision, reason, when, proposal=None, campaign=None, answered=None):
    """Records a decision as the service does: the standing row and its audit entry, at `when`.
    answered: (document slug, [articles]) or None."""
    cur.execute("SELECT id FROM documents WHERE slug = %s", (answered[0] if answered else None,))
    row = cur.fetchone()
    doc_id, articles = (row[0], answered[1]) if answered else (None, [])
    kind, target = ("proposal", proposal) if proposal else ("campaign", campaign)
    cur.execute("SELECT disposition_json(decision, answered_document_id, answered_articles) "
                "FROM dispositions WHERE kind = %s AND target_id = %s", (kind, target))
    before = cur.fetchone()
    cur.execute("INSERT INTO dispositions (kind, target_id, decision, reason, "
                "answered_document_id, answered_articles, decided_by, decided_at) VALUES (%s, "
                "%s, %s, %s, %s, %s, 'secretary', %s) ON CONFLICT (kind, target_id) DO UPDATE "
                "SET decision = EXCLUDED.decision, reason = EXCLUDED.reason, "
                "answered_document_id = EXCLUDED.answered_document_id, answered_articles = "
                "EXCLUDED.answered_articles, decided_at = EXCLUDED.decided_at",
                (kind, target, decision, reason, doc_id, articles, when))
    cur.execute("INSERT INTO audit_log (at, actor, action, proposal_id, subject, from_status, "
                "to_status, reason) VALUES (%s, 'secretary', 'disposition', %s, %s, %s, "
                "disposition_json(%s, %s, %s), %s)",
                (when, proposal, None if proposal else f"campaign {campaign}",
                 before[0] if before else "null", decision, doc_id, articles, reason))


class ReportDispositionsTest(unittest.TestCase):
    """"You said, we did": decisions as of the report's date, beside what was proposed."""

    @classmethod
    def setUpClass(cls):
        truncate()
        with connect() as conn, conn.cursor() as cur:
            cur.execute("TRUNCATE dispositions")
        conn.close()
        cls.ids = ids = seed(SEEDS + CAMPAIGN_SEEDS, texts=CAMPAIGN_TEXTS)
        with connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT campaign_id FROM campaign_members WHERE proposal_id = %s",
                        (ids["a0"],))
            campaign = cur.fetchone()[0]
            decide(cur, "rejected", "Article 33 already says so.", at("2025-03-02T12:00:00"),
                   campaign=campaign)
            decide(cur, "accepted", 'Taken up in the draft: <b>"kept"</b>.',
                   at("2025-03-03T12:00:00"), proposal=ids["a2"],
                   answered=(OTHER_DOC, ["9", "10"]))
            decide(cur, "under_review", "Being studied.", at("2025-03-02T10:00:00"),
                   proposal=ids["p1"])
            decide(cur, "partly_accepted", "Partly in the draft.", at("2025-03-04T10:00:00"),
                   proposal=ids["p1"], answered=(OTHER_DOC, ["1"]))
            decide(cur, "out_of_scope", "Not about the constitution.", at("2025-03-03T11:00:00"),
                   proposal=ids["p7"])
        conn.close()
        cls.tmp = tempfile.mkdtemp(prefix="usynys-report-dispositions-")
        cls.out = Path(cls.tmp, "out")
        cls.results = {day: run_report("--date", day.isoformat(), "--document", DOC,
                                       "--out", str(cls.out), "--database-url", database_url())
                       for day in (DAY, LATER)}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def dir(self, day):
        r = self.results[day]
        self.assertEqual(r.returncode, 0, r.stderr)
        return self.out / DOC / day.isoformat()

    def rows(self, day):
        with open(self.dir(day) / "you-said-we-did.csv", encoding="utf-8", newline="") as f:
            return {r["article"]: r for r in csv.DictReader(f)}

    def test_decisions_as_of_the_end_of_the_day(self):
        s = json.loads((self.dir(DAY) / "summary.json").read_text(encoding="utf-8"))
        # Counted on DAY: 11 of SEEDS and a0-a3, b0, b1, c0 (15 + 3 - a4 hidden): p1's second
        # decision comes the day after; a0, a1 and a3 take their campaign's; a2 has its own.
        self.assertEqual(s["dispositions"], {
            "accepted": 1, "partly_accepted": 0, "under_review": 1, "rejected": 3,
            "out_of_scope": 1, "undecided": s["proposals"] - 6})
        one = self.rows(DAY)["1"]
        self.assertEqual((one["proposals"], one["proposals_unique"]), ("5", "3"))
        self.assertEqual((one["accepted"], one["under_review"], one["rejected"],
                          one["undecided"]), ("1", "1", "2", "1"))
        self.assertEqual(one["answered_by"], f"{OTHER_DOC}:9 {OTHER_DOC}:10")
        self.assertEqual(one["reasons"], 'accepted (1): Taken up in the draft: <b>"kept"</b>. | '
                                         "under_review (1): Being studied. | "
                                         "rejected (2): Article 33 already says so.")
        later = self.rows(LATER)["1"]
        self.assertEqual((later["partly_accepted"], later["under_review"]), ("1", "0"))
        self.assertEqual(later["answered_by"], f"{OTHER_DOC}:1 {OTHER_DOC}:9 {OTHER_DOC}:10")
        # Articles nobody proposed on are not listed.
        self.assertNotIn("3", self.rows(DAY))

    def test_equals_the_dispositions_api_once_every_decision_counts(self):
        s = json.loads((self.dir(LATER) / "summary.json").read_text(encoding="utf-8"))
        api = server.get(f"/api/v1/stats/dispositions?document={DOC}")
        self.assertEqual(s["dispositions"], api["by_decision"])
        rows = self.rows(LATER)
        for a in api["articles"]:
            if a["proposals"] == 0:
                self.assertNotIn(a["article"], rows)
                continue
            mine = rows[a["article"]]
            self.assertEqual({k: int(mine[k]) for k in a["by_decision"]}, a["by_decision"],
                             a["article"])
        draft = server.get(f"/api/v1/stats/dispositions?document={OTHER_DOC}")
        answered = {a["article"]: a["answered"] for a in draft["articles"] if a["answered"]}
        self.assertEqual(answered, {"1": 1, "9": 1, "10": 1})

    def test_page_reads_as_plain_words_and_prints(self):
        page = (self.dir(DAY) / "you-said-we-did.html").read_text(encoding="utf-8")
        flat = " ".join(page.split())
        self.assertIn("<h2>Article by article</h2>", flat)
        self.assertIn('<div class="article" id="article-1">', flat)
        self.assertRegex(flat, r'<span class="art">Article 1</span> <span class="sec">\(Section I, '
                               r'[^)]+\)</span><span class="opening"> &ldquo;[^&]+')
        self.assertIn("Taken up in the draft: &lt;b&gt;&quot;kept&quot;&lt;/b&gt;.", flat)
        self.assertNotIn("<b>\"kept\"</b>", flat)
        self.assertRegex(flat, r'<span class="art">Article 9</span> of <i>[^<]+</i>')
        self.assertIn("Among them copies of form letters", flat)
        self.assertIn("@media print", flat)
        self.assertNotRegex(page, r'(src|href)="(https?:)?//')
        index = (self.dir(DAY) / "index.html").read_text(encoding="utf-8")
        self.assertIn('<a href="you-said-we-did.html">', index)

    def test_rerun_is_byte_identical(self):
        before = (self.dir(DAY) / "you-said-we-did.html").read_bytes()
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(self.out),
                       "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((self.dir(DAY) / "you-said-we-did.html").read_bytes(), before)


class ReportChangesTest(unittest.TestCase):
    def setUp(self):
        truncate()
        self.ids = seed()
        self.tmp = tempfile.mkdtemp(prefix="usynys-report-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def report(self):
        r = run_report("--date", DAY.isoformat(), "--out", self.tmp, "--database-url",
                       database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(Path(self.tmp, DOC, DAY.isoformat(), "summary.json")
                          .read_text(encoding="utf-8"))

    def test_hiding_a_proposal_changes_figures_and_fingerprint(self):
        first = self.report()
        with connect() as conn, conn.cursor() as cur:
            cur.execute("UPDATE proposals SET status = 'hidden' WHERE id = %s",
                        (self.ids["p7"],))
        conn.close()
        seeds = [s if s[0] != "p7" else s[:7] + ("hidden", s[8]) for s in SEEDS]
        second = self.report()
        self.assertNotEqual(first["fingerprint"], second["fingerprint"])
        fig, _, _, _ = expected(DAY, self.ids, seeds)
        for key, value in fig.items():
            self.assertEqual(second[key], value, key)
        api = server.get(f"/api/v1/stats/coverage?document={DOC}&to={DAY}")
        self.assertEqual(second["articles_touched"], api["articles_touched"])
        self.assertEqual(second["proposals"], api["proposals"])

    def test_database_from_config_when_no_url_is_given(self):
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg.setdefault("database", {})["url"] = database_url()
        path = Path(self.tmp, "usynys.json")
        path.write_text(json.dumps(cfg), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "USYNYS_DATABASE_URL"}
        r = run_report("--date", DAY.isoformat(), "--out", self.tmp, "--config", str(path),
                       env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f" {DOC} ", r.stdout)  # the config's default document


class ReportFailuresTest(unittest.TestCase):
    def setUp(self):
        truncate()
        self.tmp = tempfile.mkdtemp(prefix="usynys-report-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def fails(self, code, *args, env=None):
        r = run_report("--out", self.tmp, *args, env=env)
        self.assertEqual(r.returncode, code, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertTrue(r.stderr.startswith("nightly-report: "), r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        reports = [p for p in Path(self.tmp).glob("*/*") if not p.name.startswith(".")
                   and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", p.name)]
        self.assertEqual(reports, [])
        return r.stderr

    def test_no_database_exits_3(self):
        empty = tempfile.mkdtemp(prefix="nopg-", dir=self.tmp)
        err = self.fails(3, "--date", DAY.isoformat(), "--database-url",
                         f"host={empty} user=usynys dbname=usynys")
        self.assertIn("database unreachable", err)

    def test_default_cluster_without_a_server_exits_3(self):
        empty = tempfile.mkdtemp(prefix="nopg-", dir=self.tmp)
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg.setdefault("database", {})["url"] = ""
        config = Path(self.tmp, "usynys.json")
        config.write_text(json.dumps(cfg), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "USYNYS_DATABASE_URL"}
        env["USYNYS_DATA_DIR"] = empty
        err = self.fails(3, "--date", DAY.isoformat(), "--config", str(config), env=env)
        self.assertIn(f"host={empty} ", err)

    def test_unknown_document_exits_4_and_is_recorded(self):
        err = self.fails(4, "--date", DAY.isoformat(), "--document", "no-such-doc",
                         "--database-url", database_url())
        self.assertIn("no-such-doc", err)
        rows = runs()
        self.assertEqual(len(rows), 1)
        date, doc, fingerprint, status, _, error = rows[0]
        self.assertEqual((date, doc, fingerprint, status), (DAY, "no-such-doc", None, "failed"))
        self.assertIn("unknown document", error)

    def test_bad_dates_exit_2(self):
        future = (dt.datetime.now(UTC).date() + dt.timedelta(days=2)).isoformat()
        for bad in ("2025-02-30", "2025-3-1", "yesterday", "", future, "1969-12-31"):
            with self.subTest(date=bad):
                self.fails(2, "--date", bad, "--database-url", database_url())
        self.assertEqual(runs(), [])

    def test_bad_arguments_exit_2(self):
        self.fails(2, "--bogus")
        self.fails(2, "--date")
        self.fails(2, "--document", "Not A Slug", "--database-url", database_url())


DOCUMENTS = REPO / "config" / "documents"
LANGS = ("kk", "ru", "en")
DOC_FILES = {"kk": "kz-constitution.kk.json", "ru": "kz-constitution.ru.json",
             "en": "kz-constitution.json"}
# A heading of the report page and one of "You said, we did" in each language.
HEADINGS = {"kk": ("<h2>Алдыңғы күннен бергі өзгерістер</h2>", "<h4>Сіз айттыңыз</h4>"),
            "ru": ("<h2>За последний день</h2>", "<h4>Вы сказали</h4>"),
            "en": ("<h2>Since the previous day</h2>", "<h4>You said</h4>")}
# The note of a document shown in Russian because it has no text in the report's language.
FALLBACK_NOTES = {"kk": "Атаулар орыс тілінде берілген:",
                  "en": "Titles in Russian:"}
DATA_FILES = ("summary.json", "articles.csv", "sections.csv", "breakdowns.csv",
              "campaigns.csv", "carried-over.csv", "you-said-we-did.csv")
PAGES = ("index.html", "you-said-we-did.html", "timeline.png", "articles.png",
         "coverage-map.png")


def document_file(lang):
    return json.loads((DOCUMENTS / DOC_FILES[lang]).read_text(encoding="utf-8"))


def opening(text, words=14):
    parts = " ".join(text.split()).split(" ")
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class ReportLanguagesTest(unittest.TestCase):
    """--lang kk|ru|en: the words of the pages and charts and the titles of the document in
    that language, the data files the same in every language."""

    @classmethod
    def setUpClass(cls):
        truncate()
        with connect() as conn, conn.cursor() as cur:
            cur.execute("TRUNCATE dispositions")
        conn.close()
        cls.ids = ids = seed(SEEDS + CAMPAIGN_SEEDS, texts=CAMPAIGN_TEXTS)
        with connect() as conn, conn.cursor() as cur:
            decide(cur, "accepted", "Taken up in the draft.", at("2025-03-03T12:00:00"),
                   proposal=ids["a2"], answered=(OTHER_DOC, ["9", "10"]))
            decide(cur, "rejected", "Article 33 already says so.", at("2025-03-02T12:00:00"),
                   proposal=ids["p1"])
        conn.close()
        cls.tmp = tempfile.mkdtemp(prefix="usynys-report-languages-")
        cls.results = {}
        for lang in LANGS:
            for doc in (DOC, OTHER_DOC):
                cls.results[lang, doc] = run_report(
                    "--date", DAY.isoformat(), "--document", doc, "--lang", lang,
                    "--out", str(Path(cls.tmp, lang)), "--database-url", database_url())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def dir(self, lang, doc=DOC):
        r = self.results[lang, doc]
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        return Path(self.tmp, lang, doc, DAY.isoformat())

    def page(self, lang, name="index.html", doc=DOC):
        return (self.dir(lang, doc) / name).read_text(encoding="utf-8")

    def config(self, **report):
        """A config like the shipped one, with a report section and the documents where they
        are (its own folder has none)."""
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg["documents"]["dir"] = str(DOCUMENTS)
        cfg["report"] = report
        path = Path(tempfile.mkdtemp(prefix="config-", dir=self.tmp), "usynys.json")
        path.write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def test_each_language_renders_its_words_and_titles(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                text = document_file(lang)
                page = self.page(lang)
                self.assertIn(f'<html lang="{lang}">', page)
                self.assertIn(HEADINGS[lang][0], page)
                self.assertIn(f'<h1 lang="{lang}">{html.escape(text["title"])}</h1>', page)
                for section in text["sections"]:
                    self.assertIn(f'<td class="title">{html.escape(section["title"])}</td>',
                                  page)
                self.assertNotIn("<p class=\"note\">", page)
                if lang != "en":
                    for english in ("Since the previous day", "Who, how and where",
                                    "Proposals that day", "Submitter type", "Top 10 articles"):
                        self.assertNotIn(english, page)
                for name in ("timeline.png", "articles.png", "coverage-map.png"):
                    check_png(self, self.dir(lang) / name)

    def test_you_said_we_did_in_each_language(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                text = document_file(lang)
                first = text["sections"][0]
                page = self.page(lang, "you-said-we-did.html")
                flat = " ".join(page.split())
                self.assertIn(f'<html lang="{lang}">', page)
                self.assertIn(HEADINGS[lang][1], page)
                self.assertIn(html.escape(first["title"]), flat)
                self.assertIn(html.escape(opening(first["articles"][0]["text"])), flat)
                if lang != "en":
                    for english in (">You said<", ">We did<", ">Article by article<", ">In all<",
                                    ">Article 1<", "Where the draft answers it"):
                        self.assertNotIn(english, page)
        self.assertIn('<span class="art">1-бап</span>', self.page("kk", "you-said-we-did.html"))
        self.assertIn('<span class="art">Статья 1</span>',
                      self.page("ru", "you-said-we-did.html"))

    def test_data_files_are_the_same_in_every_language(self):
        for name in DATA_FILES:
            with self.subTest(file=name):
                present = [(Path(self.dir(lang)) / name).exists() for lang in LANGS]
                self.assertEqual(len(set(present)), 1, name)
                if not present[0]:
                    continue
                en = (self.dir("en") / name).read_bytes()
                for lang in ("kk", "ru"):
                    self.assertEqual((self.dir(lang) / name).read_bytes(), en, f"{lang} {name}")
        self.assertTrue((self.dir("en") / "campaigns.csv").exists())
        self.assertTrue((self.dir("en", OTHER_DOC) / "carried-over.csv").exists())
        for name in DATA_FILES:
            path = self.dir("en", OTHER_DOC) / name
            if path.exists():
                self.assertEqual((self.dir("kk", OTHER_DOC) / name).read_bytes(),
                                 path.read_bytes(), name)
        # sections.csv keeps the titles as stored (the reference language), whatever the
        # language of the pages.
        _, rows = read_csv(self.dir("kk") / "sections.csv")
        stored = {r: t for _, r, t in structure()[1]}
        self.assertEqual({r[0]: r[1] for r in rows[1:]}, stored)
        # MANIFEST hashes every file: the same but for the lines of the pages and charts.
        def lines(lang):
            text = (self.dir(lang) / "MANIFEST").read_text(encoding="utf-8")
            return [ln for ln in text.splitlines() if not ln.endswith(PAGES)]
        self.assertEqual(lines("kk"), lines("en"))
        self.assertEqual(lines("ru"), lines("en"))
        for name in PAGES:
            self.assertNotEqual((self.dir("kk") / name).read_bytes(),
                                (self.dir("en") / name).read_bytes(), name)

    def test_the_draft_in_kazakh_falls_back_to_russian_and_says_so(self):
        draft = json.loads((DOCUMENTS / "kz-constitution-2026-draft.ru.json")
                           .read_text(encoding="utf-8"))
        for lang in ("kk", "en"):
            with self.subTest(lang=lang):
                page = self.page(lang, doc=OTHER_DOC)
                self.assertIn(f'<html lang="{lang}">', page)
                self.assertIn(f'<h1 lang="ru">{html.escape(draft["title"])}</h1>', page)
                self.assertEqual(page.count('<p class="note">'), 1)
                self.assertIn(f'<p class="note">{FALLBACK_NOTES[lang]}', page)
                self.assertIn(html.escape(draft["sections"][0]["title"]), page)
                # kz-1995's answers name the draft's articles: their titles in Russian, said
                # once; the page of kz-1995 itself needs no note.
                said = self.page(lang, "you-said-we-did.html")
                self.assertEqual(said.count('<p class="note">'), 1, said)
                self.assertIn(FALLBACK_NOTES[lang], said)
                self.assertIn(html.escape(draft["title"][:40]), said)
                self.assertNotIn('<p class="note">', self.page(lang))
        self.assertIn("Атаулар орыс тілінде берілген: «Проект Конституции",
                      self.page("kk", doc=OTHER_DOC))
        self.assertNotIn('<p class="note">', self.page("ru", doc=OTHER_DOC))
        self.assertNotIn('<p class="note">', self.page("ru", "you-said-we-did.html"))

    def test_rerun_in_a_language_is_byte_identical(self):
        before = {n: (self.dir("kk") / n).read_bytes() for n in PAGES + ("MANIFEST",)}
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--lang", "kk",
                       "--out", str(Path(self.tmp, "kk")), "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        for n, data in before.items():
            self.assertEqual((self.dir("kk") / n).read_bytes(), data, n)

    def test_the_config_names_the_default_language(self):
        out = Path(self.tmp, "from-config")
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(out),
                       "--config", self.config(language="ru"), "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        got = out / DOC / DAY.isoformat()
        page = (got / "index.html").read_text(encoding="utf-8")
        self.assertIn('<html lang="ru">', page)
        self.assertIn(HEADINGS["ru"][0], page)
        # The same as --lang ru (run again beside it, so that both read the same data).
        lang = Path(self.tmp, "lang-ru")
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(lang),
                       "--lang", "ru", "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in PAGES:
            self.assertEqual((got / name).read_bytes(),
                             (lang / DOC / DAY.isoformat() / name).read_bytes(), name)
        # --lang wins over the config.
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(out),
                       "--config", self.config(language="ru"), "--lang", "kk",
                       "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('<html lang="kk">', (out / DOC / DAY.isoformat() / "index.html")
                      .read_text(encoding="utf-8"))
        # Without report.language (nor --lang): English.
        r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(out),
                       "--config", self.config(), "--database-url", database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        page = (got / "index.html").read_text(encoding="utf-8")
        self.assertIn('<html lang="en">', page)
        self.assertIn(HEADINGS["en"][0], page)

    def test_a_bad_language_exits_2(self):
        out = Path(self.tmp, "bad")
        cases = [("--lang", bad) for bad in ("de", "", "KK", "kk-KZ")]
        cases += [("--config", self.config(language=bad)) for bad in ("de", "KK", 7, ["kk"])]
        for args in cases:
            with self.subTest(args=args):
                before = len(runs())
                r = run_report("--date", DAY.isoformat(), "--document", DOC, "--out", str(out),
                               "--database-url", database_url(), *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
                self.assertRegex(r.stderr, r"^nightly-report: bad language .*: expected kk, ru "
                                           r"or en")
                self.assertFalse(out.exists())
                self.assertEqual(len(runs()), before)

    def test_catalogues_have_the_same_keys_and_no_empty_value(self):
        folder = REPO / "scripts" / "report" / "messages"
        catalogues = {lang: json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
                      for lang in LANGS}
        self.assertEqual(sorted(p.stem for p in folder.glob("*.json")), sorted(LANGS))
        forms = {"en": 2, "ru": 3, "kk": 1}
        keys = set(catalogues["en"])
        placeholders = re.compile(r"{([a-z_]+)}")
        for lang, cat in catalogues.items():
            with self.subTest(lang=lang):
                self.assertEqual(set(cat), keys, lang)
                for key, value in cat.items():
                    values = value if isinstance(value, list) else [value]
                    if isinstance(value, list):
                        self.assertEqual(len(value), forms[lang], key)
                    for v in values:
                        self.assertIsInstance(v, str, key)
                        self.assertTrue(v.strip(), f"{lang} {key} is empty")
                    en = catalogues["en"][key]
                    en = en[0] if isinstance(en, list) else en
                    if key == "meta.version":
                        # English keeps the document's version line, the others (whose files
                        # have it in English too) name its date.
                        continue
                    for v in values:
                        self.assertEqual(set(placeholders.findall(v)),
                                         set(placeholders.findall(en)), f"{lang} {key}")
                if lang != "en":
                    same = [k for k, v in cat.items() if v == catalogues["en"][k]
                            and not k.startswith(("value.channel.e", "tagging.model",
                                                  "campaigns.csv", "meta."))]
                    self.assertEqual(same, [], f"{lang}: left in English")


class ReportRenderTest(unittest.TestCase):
    def setUp(self):
        truncate()
        seed()
        self.tmp = tempfile.mkdtemp(prefix="usynys-report-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_page_renders_in_headless_chromium(self):
        r = run_report("--date", DAY.isoformat(), "--out", self.tmp, "--database-url",
                       database_url())
        self.assertEqual(r.returncode, 0, r.stderr)
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        self.assertIsNotNone(chromium, "chromium is not installed (scripts/deps.sh test)")
        for name in ("index.html", "you-said-we-did.html"):
            with self.subTest(page=name):
                page = Path(self.tmp, DOC, DAY.isoformat(), name)
                shot = Path(self.tmp, name + ".png")
                profile = tempfile.mkdtemp(prefix="chromium-", dir=self.tmp)
                p = subprocess.run(
                    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={profile}", f"--screenshot={shot}",
                     "--window-size=1280,2000", page.as_uri()],
                    capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)
                self.assertTrue(shot.is_file(), p.stderr[-2000:])
                self.assertEqual(check_png(self, shot), (1280, 2000))


if __name__ == "__main__":
    unittest.main()
