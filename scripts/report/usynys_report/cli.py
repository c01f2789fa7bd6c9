# The command line of scripts/nightly-report: arguments, configuration and the database URL,
# one run from the snapshot to the published directory and its report_runs row, and the
# one-line, exit-status contract for cron.

import argparse
import datetime as dt
import json
import os
import re
import signal
import sys
import time

from . import charts, db, figures, files, messages, page, texts
from .errors import EXIT_OTHER, EXIT_USAGE, Failure, one_line
from .text import pct, signed

PROG = "nightly-report"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__)))))


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one stderr line instead of usage + message
        raise Failure(EXIT_USAGE, f"{message} (see --help)")


def parse_args(argv):
    p = _Parser(prog="scripts/nightly-report",
                description="Writes the nightly coverage report of one document for one day.")
    p.add_argument("--date", help="the day to report on, YYYY-MM-DD (default: yesterday, UTC)")
    p.add_argument("--document", metavar="SLUG",
                   help="document slug (default: the config's documents.default)")
    p.add_argument("--out", metavar="DIR", help="output root (default: <repo>/var/reports)")
    p.add_argument("--database-url", metavar="URL",
                   help="libpq connection string or URI (default: $USYNYS_DATABASE_URL, "
                        "the config's database.url, else the cluster of scripts/run)")
    p.add_argument("--config", metavar="FILE",
                   help="service config (default: <repo>/config/usynys.json)")
    p.add_argument("--lang", metavar="kk|ru|en",
                   help="the language of the pages and charts (default: the config's "
                        "report.language, else en)")
    return p.parse_args(argv)


def parse_date(text, today):
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text or ""):
        raise Failure(EXIT_USAGE, f"bad date {text!r}: expected YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise Failure(EXIT_USAGE, f"bad date {text!r}: no such day") from None
    if day.year < 1970:
        raise Failure(EXIT_USAGE, f"bad date {text}: before 1970")
    if day > today:
        raise Failure(EXIT_USAGE, f"bad date {text}: in the future (today is {today}, UTC)")
    return day


def read_config(path, required):
    try:
        with open(path, encoding="utf-8") as f:
            cfg = json.load(f)
    except FileNotFoundError:
        if required:
            raise Failure(EXIT_OTHER, f"config {path} not found (pass --document or --config)")
        return {}
    except (OSError, ValueError) as e:
        raise Failure(EXIT_OTHER, f"cannot read config {path}: {one_line(str(e))}") from None
    if not isinstance(cfg, dict):
        raise Failure(EXIT_OTHER, f"config {path}: not a JSON object")
    return cfg


def config_value(cfg, *keys):
    v = cfg
    for k in keys:
        if not isinstance(v, dict):
            return None
        v = v.get(k)
    return v


def libpq_quote(value):
    if value and not re.search(r"[\s'\\]", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def database_url(args, cfg):
    if args.database_url:
        return args.database_url
    if os.environ.get("USYNYS_DATABASE_URL"):
        return os.environ["USYNYS_DATABASE_URL"]
    url = config_value(cfg, "database", "url")
    if isinstance(url, str) and url:
        return url
    data_dir = os.environ.get("USYNYS_DATA_DIR") or os.path.join(REPO, "var", "pg")
    return f"host={libpq_quote(os.path.abspath(data_dir))} user=usynys dbname=usynys"


def as_failure(e, what):
    """A Failure for an unexpected exception: database errors by kind, anything else internal."""
    if db.is_database_error(e):
        return db.db_failure(e, what)
    if isinstance(e, OSError):
        where = f" ({e.filename})" if e.filename else ""
        return Failure(EXIT_OTHER, f"cannot write the report: {e.strerror or e}{where}")
    return Failure(EXIT_OTHER, f"internal error while {what}: {type(e).__name__}: {one_line(e)}")


def report_language(args, cfg, config_path):
    """The language of the pages and charts: --lang, else the config's report.language, else
    en; anything else is a usage error."""
    if args.lang is not None:
        return messages.check_language(args.lang, "")
    value = config_value(cfg, "report", "language")
    if value is None:
        return messages.DEFAULT_LANGUAGE
    return messages.check_language(value, f" in config {config_path} (report.language)")


def build_report(conn, slug, day, out_root, min_score=0.3, language=messages.DEFAULT_LANGUAGE,
                 documents=None, cfg=None):
    """Reads, computes and writes the report; the pages and charts in `language`, titles from
    the document files in the folder `documents` (texts.localize) where they have it."""
    m = messages.Messages(language)
    d = db.read_data(conn, slug, day, min_score)
    d = texts.localize(d, language, documents or os.path.join(REPO, "config", "documents"),
                       cfg or {})
    r = figures.compute(d)

    def fill(tmp):
        files.write_data_files(tmp, r)
        charts.draw(tmp, r, m)
        page.write(tmp, r, m)

    final = files.write_report(out_root, slug, day, r["summary"], fill)
    return r, final


def main(argv):
    started = dt.datetime.now(dt.timezone.utc)
    started_clock = time.monotonic()
    args = parse_args(argv)
    if args.lang is not None:
        messages.check_language(args.lang, "")
    today = started.date()
    day = parse_date(args.date, today) if args.date is not None else today - dt.timedelta(days=1)
    if args.document is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", args.document):
        raise Failure(EXIT_USAGE, f"bad document slug {args.document!r}")
    config_path = args.config or os.path.join(REPO, "config", "usynys.json")
    cfg = read_config(config_path, required=args.document is None or args.config is not None)
    language = report_language(args, cfg, config_path)
    slug = args.document or config_value(cfg, "documents", "default") or "kz-1995"
    if not isinstance(slug, str):
        raise Failure(EXIT_OTHER, f"config {config_path}: documents.default is not a string")
    out_root = os.path.abspath(args.out or os.path.join(REPO, "var", "reports"))
    url = database_url(args, cfg)
    min_score = config_value(cfg, "documents", "map_min_score")
    if min_score is None:
        min_score = 0.3
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)):
        raise Failure(EXIT_OTHER, f"config {config_path}: documents.map_min_score is not a number")

    conn = db.connect(url)
    try:
        try:
            recordable = db.has_report_runs(conn)
        except Exception as e:
            raise as_failure(e, "checking the schema") from None
        if not recordable:
            raise Failure(EXIT_OTHER, "the database has no report_runs table: apply "
                                      "schema/migrations (scripts/migrate.sh)")
        try:
            r, final = build_report(conn, slug, day, out_root, float(min_score), language,
                                    texts.documents_dir(cfg, config_path), cfg)
        except Exception as e:
            failure = e if isinstance(e, Failure) else as_failure(e, "reading the data")
            try:
                conn.rollback()
                db.record_run(conn, day, slug, failure.fingerprint, str(failure), started,
                              started_clock)
            except Exception:
                pass  # the database went away; the exit status tells
            raise failure from None
        try:
            db.record_run(conn, day, slug, r["summary"]["fingerprint"], None, started,
                          started_clock)
        except Exception as e:
            raise as_failure(e, f"recording the run (report written to {final})") from None
    finally:
        conn.close()

    s = r["summary"]
    shown = os.path.relpath(final) if not os.path.relpath(final).startswith("..") else final
    print(f"{PROG}: {s['document']} {s['date']}: {s['proposals_that_day']} proposals that day, "
          f"{s['proposals']} in total; articles {s['articles_touched']}/{s['articles_total']} "
          f"({pct(s['articles_share'])}, {signed(s['new_articles_touched'])} new), sections "
          f"{s['sections_touched']}/{s['sections_total']}, content {pct(s['content_share'])}; "
          f"wrote {shown}")
    return 0


def on_signal(signum, frame):
    raise Failure(EXIT_OTHER, f"stopped by signal {signal.Signals(signum).name}")


def run(argv):
    """Runs the command line `argv`; returns the exit status, after one line on stderr when
    the run failed."""
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        return main(argv)
    except Failure as e:
        print(f"{PROG}: {one_line(e)}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OTHER
    except Exception as e:  # noqa: BLE001 - the one-line contract holds for surprises too
        print(f"{PROG}: internal error: {type(e).__name__}: {one_line(e)}", file=sys.stderr)
        return EXIT_OTHER
