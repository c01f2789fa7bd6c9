# The files of a report: summary.json, the CSV files and MANIFEST, and how a report directory
# is put in place: one run per document at a time, written into a temporary directory beside
# the final one, synced and renamed into place.

import csv
import fcntl
import hashlib
import json
import os
import shutil
import tempfile

from .definitions import BREAKDOWNS, CHANNELS, DECISIONS, DEFINITIONS_VERSION, SUBMITTER_TYPES
from .errors import EXIT_OTHER, Failure


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(value, f, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
        f.write("\n")


# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(v):
    """A text that could start a formula goes behind an apostrophe: submitted text (regions)
    is not to be run on the reader's machine."""
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows([csv_cell(v) for v in row] for row in rows)


def csv_float(v):
    return repr(float(v))


def write_data_files(out, r):
    write_json(os.path.join(out, "summary.json"), r["summary"])
    write_csv(os.path.join(out, "articles.csv"),
              ["article", "section", "chars", "repealed", "proposals", "first_at", "last_at"]
              + list(SUBMITTER_TYPES),
              ([a["id"], a["section_roman"], a["chars"], "true" if a["repealed"] else "false",
                a["proposals"], a["first_at"] or "", a["last_at"] or ""]
               + [a["by_type"][t] for t in SUBMITTER_TYPES] for a in r["doc"]["articles"]))
    write_csv(os.path.join(out, "sections.csv"),
              ["section", "title", "articles_total", "articles_touched", "articles_share",
               "proposals", "content_chars_total", "content_chars_touched", "content_share"],
              ([s["section"], s["title"], s["articles_total"], s["articles_touched"],
                csv_float(s["articles_share"]), s["proposals"], s["content_chars_total"],
                s["content_chars_touched"], csv_float(s["content_share"])]
               for s in r["sections"]))
    write_csv(os.path.join(out, "breakdowns.csv"),
              ["dimension", "value", "proposals", "proposals_that_day"],
              ([name, v, n, n_day] for name, _, _ in BREAKDOWNS
               for v, n, n_day in r["breakdowns"][name]))
    if r["carried"]:
        write_csv(os.path.join(out, "carried-over.csv"),
                  ["article", "section", "predecessors", "status", "score", "counted", "flag",
                   "proposals_own", "proposals_through_map", "proposals"],
                  ([c["id"], c["section_roman"], " ".join(c["predecessors"]), c["status"],
                    "" if c["score"] is None else csv_float(c["score"]),
                    "true" if c["counted"] else "false", c["flag"] or "", c["own"], c["through"],
                    c["total"]] for c in r["carried"]))

    write_csv(os.path.join(out, "you-said-we-did.csv"),
              ["article", "section", "proposals", "proposals_unique"] + list(DECISIONS)
              + ["undecided", "reasons", "answered_by", "largest_campaigns"],
              ([a["id"], a["section"], a["proposals"], a["proposals_unique"]]
               + [a["by_decision"][k] for k in DECISIONS] + [a["by_decision"]["undecided"],
                 " | ".join(f"{x['decision']} ({x['proposals']}): {x['reason']}"
                            for x in a["reasons"]),
                 " ".join(f"{t['document']}:{t['article']}" for t in a["answered_by"]),
                 " ".join(f"{c['id']}:{c['size']}" for c in a["campaigns"])]
               for a in r["said"]["articles"]))
    if r["campaigns"]:
        write_csv(os.path.join(out, "campaigns.csv"),
                  ["campaign", "proposals", "share", "proposals_that_day", "first_at", "last_at",
                   "articles"] + list(CHANNELS) + list(SUBMITTER_TYPES),
                  ([c["id"], c["size"], csv_float(c["share"]), c["that_day"], c["first_at"],
                    c["last_at"], " ".join(c["articles"])]
                   + [c["by_channel"].get(v, 0) for v in CHANNELS]
                   + [c["by_submitter_type"].get(t, 0) for t in SUBMITTER_TYPES]
                   for c in r["campaigns"]))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(out, summary):
    s = summary
    lines = [
        "# usynys nightly report; check with: sha256sum -c MANIFEST",
        f"# document: {s['document']}",
        f"# date: {s['date']}",
        f"# definitions_version: {DEFINITIONS_VERSION}",
        f"# fingerprint: {s['fingerprint']}",
        f"# input.proposals: {s['input']['proposals']}",
        f"# input.max_proposal_id: {s['input']['max_proposal_id']}",
        f"# input.proposal_ids_md5: {s['input']['proposal_ids_md5']}",
        f"# input.source_sha256: {s['input']['source_sha256']}",
    ]
    for name in sorted(os.listdir(out)):
        if name != "MANIFEST" and os.path.isfile(os.path.join(out, name)):
            lines.append(f"{sha256_file(os.path.join(out, name))}  {name}")
    with open(os.path.join(out, "MANIFEST"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def fsync_tree(path):
    for name in os.listdir(path):
        fd = os.open(os.path.join(path, name), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(tmp, final):
    """Puts `tmp` at `final`, replacing an older report: old renamed away, new renamed in,
    old deleted. A reader sees either the old or the new report, never a mix."""
    parent = os.path.dirname(final)
    old = None
    if os.path.lexists(final):
        old = tempfile.mkdtemp(prefix=".old-" + os.path.basename(final) + "-", dir=parent)
        os.rmdir(old)
        os.rename(final, old)
    try:
        os.rename(tmp, final)
    except OSError:
        if old is not None:
            os.rename(old, final)
        raise
    fd = os.open(parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if old is not None:
        remove(old)


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.remove(path)
        except OSError:
            pass


def write_report(out_root, slug, day, summary, fill):
    """Writes the report of `slug` for `day` to OUT_ROOT/SLUG/YYYY-MM-DD: `fill(tmp)` writes
    its files into a fresh temporary directory, MANIFEST is added, and the directory replaces
    an older report. Returns the final path. A Failure carries the report's fingerprint."""
    fingerprint = summary["fingerprint"]
    slug_dir = os.path.join(out_root, slug)
    try:
        os.makedirs(slug_dir, exist_ok=True)
        lock = open(os.path.join(slug_dir, ".lock"), "a")
    except OSError as e:
        raise Failure(EXIT_OTHER, f"cannot write to {slug_dir}: {e.strerror}",
                      fingerprint) from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one run per document at a time
        for name in os.listdir(slug_dir):  # left behind by a run that was killed
            if name.startswith((".tmp-", ".old-")):
                remove(os.path.join(slug_dir, name))
        tmp = tempfile.mkdtemp(prefix=f".tmp-{day.isoformat()}-", dir=slug_dir)
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o777 & ~umask)
            fill(tmp)
            write_manifest(tmp, summary)
            fsync_tree(tmp)
            final = os.path.join(slug_dir, day.isoformat())
            publish(tmp, final)
        except Failure as e:
            shutil.rmtree(tmp, ignore_errors=True)
            e.fingerprint = fingerprint
            raise
        except OSError as e:
            shutil.rmtree(tmp, ignore_errors=True)
            where = f" ({e.filename})" if e.filename else ""
            raise Failure(EXIT_OTHER, f"cannot write the report: {e.strerror}{where}",
                          fingerprint) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return final
