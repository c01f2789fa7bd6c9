# The database side of a run: connecting, reading everything the report shows inside one
# REPEATABLE READ snapshot, and recording the run in report_runs. PostgreSQL directly, never
# the HTTP API.

import datetime as dt
import json
import re
import time

from .definitions import BREAKDOWNS, CAMPAIGN_MIN_SIZE
from .errors import EXIT_DATABASE, EXIT_DOCUMENT, EXIT_OTHER, Failure, one_line

STATEMENT_TIMEOUT_MS = 120000
CONNECT_TIMEOUT_S = 5

# The counted proposals of a document as of the end of the day. Article rows are reached
# through their proposal only: a proposal's references share its document (a foreign key says
# so), and filtering them by document as well lets a planner without statistics (right after
# a bulk load) pick a nested loop that rescans the whole document per proposal.
COUNTED = """
WITH counted AS (
  SELECT p.id, p.submitter_type, p.channel, p.language, p.submitter_region, p.received_at,
         p.received_at >= %(start)s AS that_day
    FROM proposals p
   WHERE p.document_id = %(doc)s AND p.status = 'visible' AND p.received_at < %(end)s)
"""

TS = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""

Q_INPUT = COUNTED + """
SELECT count(*), coalesce(max(id), 0), count(*) FILTER (WHERE that_day),
       md5(coalesce(string_agg(id::text, ',' ORDER BY id), ''))
  FROM counted"""

# Counted proposals without any article reference (untagged), and those of the day.
Q_UNTAGGED = COUNTED + """
SELECT count(*), count(*) FILTER (WHERE that_day)
  FROM counted c
 WHERE NOT EXISTS (SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id = c.id)"""

# Tagged proposals by where their references came from (a coder's replace every reference of a
# proposal, so each has one source).
Q_TAGGED = COUNTED + """
SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM proposal_articles pa
                                       WHERE pa.proposal_id = c.id AND pa.source = 'submitter')),
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM proposal_articles pa
                                       WHERE pa.proposal_id = c.id AND pa.source = 'staff'))
  FROM counted c"""

# Untagged proposals counted through their estimate (best suggestion at or above the threshold),
# per estimated article: as the service's statistics with include_suggested.
Q_ESTIMATES = COUNTED + """
SELECT s.estimated, count(*)
  FROM counted c
  JOIN proposal_suggestions s ON s.proposal_id = c.id
 WHERE s.estimated IS NOT NULL
 GROUP BY 1"""

Q_TAGGING_SETTINGS = "SELECT model, round(threshold::numeric, 3)::float8 FROM tagging_settings"

Q_ARTICLE_COUNTS = COUNTED + f"""
SELECT pa.article_id, c.submitter_type, count(*), count(*) FILTER (WHERE c.that_day),
       {TS.format('min(c.received_at)')}, {TS.format('max(c.received_at)')}
  FROM proposal_articles pa
  JOIN counted c ON c.id = pa.proposal_id
 GROUP BY 1, 2"""

Q_SECTION_PROPOSALS = COUNTED + """
SELECT a.section_number, count(DISTINCT c.id), count(DISTINCT c.id) FILTER (WHERE c.that_day)
  FROM proposal_articles pa
  JOIN counted c ON c.id = pa.proposal_id
  JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
 WHERE NOT a.repealed
 GROUP BY 1"""

Q_PER_DAY = COUNTED + """
SELECT to_char((received_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), count(*)
  FROM counted GROUP BY 1 ORDER BY 1"""

Q_BREAKDOWN = COUNTED + """
SELECT coalesce({column}, ''), count(*), count(*) FILTER (WHERE that_day)
  FROM counted GROUP BY 1"""

# The counted members of each campaign with at least CAMPAIGN_MIN_SIZE of them (a campaign
# with one counted member counts like a proposal in none). Members are counted as of the end of
# the day: campaigns.size and the campaign_* aggregates count the members visible now, whenever
# they arrived, so the report counts from the members' rows instead.
CAMPAIGN_MEMBERS = """
, members AS (
  SELECT cm.campaign_id, c.id, c.submitter_type, c.channel, c.received_at, c.that_day
    FROM campaign_members cm
    JOIN counted c ON c.id = cm.proposal_id)
, grouped AS (
  SELECT campaign_id FROM members GROUP BY 1 HAVING count(*) >= %(min_size)s)
"""

# Their members per submitter type and channel: how many, of them that day, first and last.
Q_CAMPAIGN_CELLS = COUNTED + CAMPAIGN_MEMBERS + f"""
SELECT m.campaign_id, m.submitter_type, m.channel, count(*), count(*) FILTER (WHERE m.that_day),
       {TS.format('min(m.received_at)')}, {TS.format('max(m.received_at)')}
  FROM members m
  JOIN grouped g ON g.campaign_id = m.campaign_id
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3"""

# Their members per article referenced (confirmed references).
Q_CAMPAIGN_ARTICLES = COUNTED + CAMPAIGN_MEMBERS + """
SELECT m.campaign_id, pa.article_id, count(*)
  FROM members m
  JOIN grouped g ON g.campaign_id = m.campaign_id
  JOIN proposal_articles pa ON pa.proposal_id = m.id
 GROUP BY 1, 2
 ORDER BY 1, 2"""


# The decision standing for each counted proposal at the end of the day, from the audit log
# (every decision is logged there with its reason, in the transaction that made it): the
# proposal's own latest one before the end, else its campaign's. Proposals without either are
# undecided.
STANDING = """
, own AS (
  SELECT DISTINCT ON (a.proposal_id) a.proposal_id, a.to_status::jsonb AS j, a.reason
    FROM audit_log a
   WHERE a.action = 'disposition' AND a.proposal_id IS NOT NULL AND a.at < %(end)s
   ORDER BY a.proposal_id, a.id DESC)
, camp AS (
  SELECT DISTINCT ON (a.subject) substr(a.subject, 10)::bigint AS campaign_id,
         a.to_status::jsonb AS j, a.reason
    FROM audit_log a
   WHERE a.action = 'disposition' AND a.subject LIKE 'campaign %%' AND a.at < %(end)s
   ORDER BY a.subject, a.id DESC)
, standing AS (
  SELECT c.id, coalesce(o.j, k.j) AS j, CASE WHEN o.j IS NOT NULL THEN o.reason ELSE k.reason END
         AS reason
    FROM counted c
    LEFT JOIN own o ON o.proposal_id = c.id
    LEFT JOIN campaign_members cm ON cm.proposal_id = c.id
    LEFT JOIN camp k ON k.campaign_id = cm.campaign_id
   WHERE o.j IS NOT NULL OR k.j IS NOT NULL)
"""

# Decided proposals by article referenced ('' for the document as a whole), decision and reason.
Q_DECISIONS = COUNTED + STANDING + """
SELECT '', s.j ->> 'decision', s.reason, count(*) FROM standing s GROUP BY 2, 3
UNION ALL
SELECT pa.article_id, s.j ->> 'decision', s.reason, count(DISTINCT s.id)
  FROM standing s JOIN proposal_articles pa ON pa.proposal_id = s.id
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3"""

# The articles that answer them (answered_by), per article referenced.
Q_ANSWERS = COUNTED + STANDING + """
SELECT pa.article_id, s.j -> 'answered_by' ->> 'document', x.article, count(DISTINCT s.id)
  FROM standing s
  JOIN proposal_articles pa ON pa.proposal_id = s.id
 CROSS JOIN LATERAL jsonb_array_elements_text(
         CASE WHEN jsonb_typeof(s.j -> 'answered_by') = 'object'
              THEN s.j -> 'answered_by' -> 'articles' ELSE '[]'::jsonb END) AS x (article)
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3"""

# What a reader needs to recognise an article: its section's title and its opening words, in
# the document's stored language.
Q_ARTICLE_TITLES = """
SELECT d.slug, d.title, a.article_id, sec.roman, sec.title, left(a.text, 400), a.position,
       d.language, sec.number
  FROM documents d
  JOIN articles a ON a.document_id = d.id
  JOIN sections sec ON sec.document_id = d.id AND sec.number = a.section_number
 WHERE d.slug = ANY (%(slugs)s)
 ORDER BY d.slug, a.position"""


# The article map onto this document, when one is stored: the older document and the method.
Q_MAP = f"""
SELECT f.id, f.slug, m.method, {TS.format('m.computed_at')}
  FROM article_maps m JOIN documents f ON f.id = m.from_document_id
 WHERE m.to_document_id = %(to)s
 ORDER BY f.slug LIMIT 1"""

# Its pairs: the predecessors in force (confirmed ones that still apply, else the suggested
# ones), whether they are confirmed, the suggestion's score and any flag.
Q_MAP_PAIRS = """
SELECT m.article_id,
       to_json(CASE WHEN m.confirmed IS NOT NULL AND m.flag IS NULL THEN m.confirmed
                    ELSE coalesce(m.suggested, '{}') END)::text,
       m.confirmed IS NOT NULL AND m.flag IS NULL, m.score, m.flag
  FROM article_map_pairs m
 WHERE m.from_document_id = %(doc)s AND m.to_document_id = %(to)s"""

# The predecessors that count: as the service's stats_via_article_counts.
MAP_COUNTED = """
, map AS (
  SELECT m.article_id,
         unnest(CASE WHEN m.confirmed IS NOT NULL AND m.flag IS NULL THEN m.confirmed
                     WHEN m.score >= %(min_score)s THEN m.suggested END) AS predecessor
    FROM article_map_pairs m
   WHERE m.from_document_id = %(doc)s AND m.to_document_id = %(to)s)
"""

# Counted proposals of the older document per article of this one, through the map.
Q_VIA_ARTICLES = COUNTED + MAP_COUNTED + """
SELECT m.article_id, count(DISTINCT c.id), count(DISTINCT c.id) FILTER (WHERE c.that_day)
  FROM counted c
  JOIN proposal_articles pa ON pa.proposal_id = c.id
  JOIN map m ON m.predecessor = pa.article_id
 GROUP BY 1"""


def redact(url):
    """The connection string without its password, for messages."""
    url = re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", url)
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def connect(url):
    try:
        import psycopg2  # Debian: python3-psycopg2
    except ImportError:
        raise Failure(EXIT_OTHER, "python3-psycopg2 is not installed (scripts/deps.sh test)")
    try:
        conn = psycopg2.connect(url, connect_timeout=CONNECT_TIMEOUT_S,
                                application_name="usynys-nightly-report")
    except psycopg2.OperationalError as e:
        raise Failure(EXIT_DATABASE,
                      f"database unreachable ({redact(url)}): {one_line(e)}") from None
    except psycopg2.Error as e:  # e.g. a malformed connection string
        raise Failure(EXIT_DATABASE, f"cannot connect to the database: {one_line(e)}") from None
    return conn


def is_database_error(e):
    return type(e).__module__.startswith("psycopg2")


def db_failure(e, what):
    import psycopg2
    if isinstance(e, psycopg2.OperationalError) and getattr(e, "pgcode", None) is None:
        return Failure(EXIT_DATABASE, f"database connection lost while {what}: {one_line(e)}")
    return Failure(EXIT_OTHER, f"database error while {what}: {one_line(e)}")


def has_report_runs(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('public.report_runs') IS NOT NULL")
        found = cur.fetchone()[0]
    conn.rollback()
    return found


def record_run(conn, day, slug, fingerprint, error, started, started_clock):
    duration_ms = max(0, int(round((time.monotonic() - started_clock) * 1000)))
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO report_runs (report_date, document, fingerprint, status, started_at, "
            "duration_ms, error) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (day, slug, fingerprint, "ok" if error is None else "failed", started, duration_ms,
             error))
    conn.commit()


def read_map(cur, d, params, min_score):
    """The article map onto the document and what the older document's proposals add through
    it, or None when no map is stored."""
    cur.execute(Q_MAP, {"to": d["id"]})
    row = cur.fetchone()
    if row is None:
        return None
    m = {"from_id": row[0], "from": row[1], "method": row[2], "computed_at": row[3],
         "min_score": min_score}
    old = dict(params, doc=m["from_id"], to=d["id"], min_score=min_score)
    cur.execute(Q_MAP_PAIRS, old)
    m["pairs"] = {r[0]: {"predecessors": json.loads(r[1]), "confirmed": r[2], "score": r[3],
                         "flag": r[4]} for r in cur.fetchall()}
    cur.execute(Q_INPUT, old)
    m["proposals"], m["max_id"], m["proposals_that_day"], m["ids_md5"] = cur.fetchone()
    cur.execute(Q_UNTAGGED, old)
    m["untagged"], _ = cur.fetchone()
    cur.execute(Q_VIA_ARTICLES, old)
    m["through"] = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
    return m


def read_data(conn, slug, day, min_score=0.3):
    """Everything the report shows, read in one consistent snapshot. min_score: the score from
    which suggested pairs of an article map count (documents.map_min_score)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
    end = start + dt.timedelta(days=1)
    with conn.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        # Every query aggregates a whole document: hash joins are the right plan, and a nested
        # loop chosen on stale statistics can take hours.
        cur.execute("SET LOCAL enable_nestloop = off")
        cur.execute("SELECT to_regclass('public.documents') IS NOT NULL")
        if not cur.fetchone()[0]:
            raise Failure(EXIT_OTHER, "the database has no usynys schema: apply "
                                      "schema/migrations first (scripts/migrate.sh)")
        cur.execute("SELECT id, slug, title, version, language, source_sha256 FROM documents "
                    "WHERE slug = %s", (slug,))
        row = cur.fetchone()
        if row is None:
            cur.execute("SELECT slug FROM documents ORDER BY slug")
            known = ", ".join(r[0] for r in cur.fetchall()) or "none loaded yet"
            raise Failure(EXIT_DOCUMENT, f"unknown document {slug!r} (known: {known})")
        d = {"id": row[0], "slug": row[1], "title": row[2], "version": row[3],
             "language": row[4], "source_sha256": row[5], "day": day}
        params = {"doc": d["id"], "start": start, "end": end}
        cur.execute("SELECT number, roman, title FROM sections WHERE document_id = %s "
                    "ORDER BY number", (d["id"],))
        d["sections"] = [{"number": r[0], "roman": r[1], "title": r[2]} for r in cur.fetchall()]
        cur.execute("SELECT article_id, position, section_number, chars, repealed FROM articles "
                    "WHERE document_id = %s ORDER BY position", (d["id"],))
        d["articles"] = [{"id": r[0], "position": r[1], "section": r[2], "chars": r[3],
                          "repealed": r[4]} for r in cur.fetchall()]
        cur.execute(Q_INPUT, params)
        d["proposals"], d["max_id"], d["proposals_that_day"], d["ids_md5"] = cur.fetchone()
        cur.execute(Q_UNTAGGED, params)
        d["untagged"], d["untagged_that_day"] = cur.fetchone()
        cur.execute(Q_TAGGED, params)
        d["tagged_by_submitter"], d["tagged_by_staff"] = cur.fetchone()
        cur.execute(Q_ESTIMATES, params)
        d["estimates"] = dict(cur.fetchall())
        cur.execute(Q_TAGGING_SETTINGS)
        row = cur.fetchone()
        d["suggestion_model"], d["estimate_threshold"] = row if row else (None, None)
        cur.execute(Q_ARTICLE_COUNTS, params)
        d["article_counts"] = cur.fetchall()
        cur.execute(Q_SECTION_PROPOSALS, params)
        d["section_proposals"] = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
        cur.execute(Q_PER_DAY, params)
        d["per_day"] = [(dt.date.fromisoformat(r[0]), r[1]) for r in cur.fetchall()]
        d["breakdowns"] = {}
        for name, column, _ in BREAKDOWNS:
            cur.execute(Q_BREAKDOWN.format(column=column), params)
            d["breakdowns"][name] = cur.fetchall()
        campaign_params = dict(params, min_size=CAMPAIGN_MIN_SIZE)
        cur.execute(Q_CAMPAIGN_CELLS, campaign_params)
        d["campaign_cells"] = cur.fetchall()
        cur.execute(Q_CAMPAIGN_ARTICLES, campaign_params)
        d["campaign_articles"] = cur.fetchall()
        d["map"] = read_map(cur, d, params, min_score)
        cur.execute(Q_DECISIONS, params)
        d["decisions"] = cur.fetchall()
        cur.execute(Q_ANSWERS, params)
        d["answers"] = cur.fetchall()
        slugs = sorted({slug} | {r[1] for r in d["answers"] if r[1]})
        cur.execute(Q_ARTICLE_TITLES, {"slugs": slugs})
        d["titles"] = {(r[0], r[2]): {"document_title": r[1], "section": r[3],
                                      "section_title": r[4], "text": r[5], "position": r[6],
                                      "language": r[7], "section_number": r[8]}
                       for r in cur.fetchall()}
    conn.rollback()
    return d
