#!/usr/bin/python3
"""Seeds a database with a deterministic, plausible set of demo proposals.

Usage: tests/report/seed_demo.py --database-url URL [--document SLUG] [--end YYYY-MM-DD]
                                 [--days N] [--seed N]

Inserts proposals received over N days ending on --end (UTC), directly with SQL, for a
document that the server has already loaded (start it once against the database). Never run
it against a database whose data matters: it only adds rows, but they are fake. Each text is
its own, but for a few form letters sent again and again, lightly edited: the server's campaign
thread groups them into campaigns (or `usynys detect-campaigns --database-url URL`, without
the server).

scripts/report/example.png was drawn from a fresh cluster so seeded (defaults), then
`scripts/nightly-report --date 2026-02-13` and a Chromium screenshot of its index.html:
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1280,4600 \
      --screenshot=scripts/report/example.png var/reports/kz-1995/2026-02-13/index.html

scripts/report/example-kk.png and example-ru.png are the same page in Kazakh and in Russian
(`scripts/nightly-report --date 2026-02-13 --lang kk`, then `--lang ru`), a shorter window each:
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1280,2600 \
      --screenshot=scripts/report/example-kk.png var/reports/kz-1995/2026-02-13/index.html

`--decide kz-2026-draft` (once the campaigns have formed) records demo decisions instead;
scripts/report/you-said-we-did.png is the same report's you-said-we-did.html after it:
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1280,2400 \
      --screenshot=scripts/report/you-said-we-did.png \
      var/reports/kz-1995/2026-02-13/you-said-we-did.html
"""

import argparse
import datetime as dt
import random
import sys

REGIONS = ("Astana", "Almaty", "Shymkent", "Karaganda Region", "Aktobe Region",
           "East Kazakhstan Region", "Turkistan Region", "Pavlodar Region", "Kostanay Region",
           "Atyrau Region", "Mangystau Region", "Zhambyl Region", "Kyzylorda Region",
           "North Kazakhstan Region", "West Kazakhstan Region", "Akmola Region", "Abai Region",
           "Zhetysu Region", "Ulytau Region", "Almaty Region")
TYPES = (("citizen", 78), ("organization", 9), ("expert", 7), ("party", 3), ("state_body", 3))
CHANNELS = (("web", 55), ("e-otinish", 18), ("egov", 12), ("email", 7), ("mail", 3),
            ("hearing", 5))
LANGUAGES = (("kk", 40), ("ru", 45), ("en", 5), (None, 10))
KINDS = (("amend", 45), ("comment", 35), ("add", 12), ("repeal", 8))
# Words of the demo texts: random picks make texts that are nobody's near-duplicates.
WORDS = ("article", "right", "court", "citizen", "land", "language", "election", "term",
         "parliament", "president", "region", "budget", "school", "health", "family", "labour",
         "property", "freedom", "assembly", "press", "religion", "army", "tax", "pension",
         "referendum", "akim", "council", "judge", "prosecutor", "police", "privacy", "water",
         "pasture", "village", "city", "youth", "culture", "science", "border", "treaty",
         "minority", "state", "duty", "petition", "appeal", "protect", "guarantee", "limit",
         "remove", "extend", "clarify", "restore", "strengthen", "public", "local", "direct",
         "equal", "fair", "open", "independent")
# Form letters: (share of all proposals, how many articles they name, text).
FORM_LETTERS = (
    (0.05, 2, "We the residents of our district ask the commission to keep the right of every "
              "citizen to a free and fair trial, and to open the courts to the public in every "
              "case that concerns the rights and freedoms of a person."),
    (0.025, 1, "Land and its riches belong to the people. The constitution must forbid selling "
               "farmland to foreign owners and guarantee that pastures around villages stay in "
               "common use for the families who live there."),
    (0.01, 3, "Local akims should be elected directly by the residents of each district and "
              "city, for a term of four years, and report to an elected council every year in "
              "a public meeting."),
)
EDITS = ("We hope to be heard.", "Thank you for your work.", "Please answer us in writing.")


def demo_text(rng, n):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return f"Demo proposal {n}: " + " ".join(words)


def form_letter(rng, text):
    """The letter as one more sender sends it: as it is, with a line added, or with one word
    changed."""
    r = rng.random()
    if r < 0.4:
        return text
    if r < 0.8:
        return text + " " + rng.choice(EDITS)
    words = text.split()
    words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights)[0]


def seed(conn, slug, end, days, seed_value=20260131, scale=1.0):
    """Adds the demo proposals; returns how many were inserted."""
    rng = random.Random(seed_value)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM documents WHERE slug = %s", (slug,))
        row = cur.fetchone()
        if row is None:
            raise SystemExit(f"seed_demo: no document {slug} (start the server once first)")
        doc = row[0]
        cur.execute("SELECT article_id, paragraph_labels FROM articles "
                    "WHERE document_id = %s AND NOT repealed ORDER BY position", (doc,))
        articles = cur.fetchall()
        # A few articles draw most of the attention, some are found late, some never.
        weights = []
        for i, _ in enumerate(articles):
            r = rng.random()
            weights.append(0 if r < 0.15 else 0.06 if r < 0.27 else
                           (12 if r > 0.93 else rng.uniform(0.3, 3)))
        # Each form letter names the same articles, among the popular ones.
        popular = sorted(range(len(articles)), key=lambda i: -weights[i])[:12]
        letters = [(share, sorted(rng.sample(popular, count)), text)
                   for share, count, text in FORM_LETTERS]
        total = 0
        first = end - dt.timedelta(days=days - 1)
        for k in range(days):
            day = first + dt.timedelta(days=k)
            # Slow start, a peak after the second week, a weekly dip.
            base = 8 + 70 * min(1.0, k / (days * 0.55)) * (1 - 0.35 * max(0, k - days * 0.7)
                                                            / max(1, days * 0.3))
            if day.weekday() >= 5:
                base *= 0.6
            n = max(1, int(rng.gauss(base, base * 0.15) * scale))
            for _ in range(n):
                stype = pick(rng, TYPES)
                name = None if stype == "citizen" else f"Demo {stype.replace('_', ' ')} {rng.randint(1, 40)}"
                at = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) + dt.timedelta(
                    seconds=rng.randint(6 * 3600, 23 * 3600 + 3599))
                status = "hidden" if rng.random() < 0.03 else "visible"
                r = rng.random()
                letter = None
                for share, letter_articles, text in letters:
                    if r < share:
                        letter = (letter_articles, form_letter(rng, text))
                        break
                    r -= share
                cur.execute(
                    "INSERT INTO proposals (document_id, submitter_type, submitter_name, "
                    "submitter_region, channel, language, kind, text, received_at, status) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    (doc, stype, name, rng.choice(REGIONS) if rng.random() < 0.85 else None,
                     pick(rng, CHANNELS), pick(rng, LANGUAGES), pick(rng, KINDS),
                     letter[1] if letter else demo_text(rng, total + 1), at, status))
                pid = cur.fetchone()[0]
                count = min(len(articles), rng.choice((1, 1, 1, 1, 2, 2, 3, 4)))
                chosen = set(letter[0]) if letter else set()
                while not letter and len(chosen) < count:
                    chosen.add(rng.choices(range(len(articles)), weights=weights)[0])
                for i in sorted(chosen):
                    article_id, labels = articles[i]
                    paragraph = rng.choice(labels) if labels and rng.random() < 0.3 else None
                    cur.execute("INSERT INTO proposal_articles (proposal_id, document_id, "
                                "article_id, paragraph) VALUES (%s, %s, %s, %s)",
                                (pid, doc, article_id, paragraph))
                total += 1
    conn.commit()
    return total


# Decisions of the demo: (decision, reason, whether a draft article answers it).
DEMO_DECISIONS = (
    ("accepted", "The draft takes this up in the article named below.", True),
    ("partly_accepted", "The draft takes up part of this; the rest stays as it is.", True),
    ("under_review", "The working group on this chapter is studying it.", False),
    ("rejected", "The article already guarantees this; no change is needed.", False),
    ("out_of_scope", "This is a matter for an ordinary law, not the constitution.", False),
)


def decide(conn, slug, draft, end, seed_value=20260131):
    """Records demo decisions as the service does (the standing decision and its audit entry),
    on the three largest campaigns and on a tenth of the other proposals, at noon two days
    before --end; returns how many it recorded."""
    rng = random.Random(seed_value + 1)
    when = dt.datetime.combine(end - dt.timedelta(days=2), dt.time(12), tzinfo=dt.timezone.utc)
    n = 0
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM documents WHERE slug = %s", (draft,))
        row = cur.fetchone()
        draft_id = row[0] if row else None
        cur.execute("SELECT a.article_id FROM articles a WHERE a.document_id = %s "
                    "AND NOT a.repealed ORDER BY a.position", (draft_id,))
        draft_articles = [r[0] for r in cur.fetchall()]

        def record(kind, target, subject, proposal):
            nonlocal n
            decision, reason, answers = rng.choice(DEMO_DECISIONS)
            articles = (sorted(rng.sample(draft_articles, rng.randint(1, 2)),
                               key=draft_articles.index)
                        if answers and draft_articles else [])
            doc_id = draft_id if articles else None
            cur.execute("INSERT INTO dispositions (kind, target_id, decision, reason, "
                        "answered_document_id, answered_articles, decided_by, decided_at) "
                        "VALUES (%s, %s, %s, %s, %s, %s, 'demo-secretary', %s) "
                        "ON CONFLICT DO NOTHING RETURNING 1",
                        (kind, target, decision, reason, doc_id, articles, when))
            if cur.fetchone() is None:
                return
            cur.execute("INSERT INTO audit_log (at, actor, action, proposal_id, subject, "
                        "from_status, to_status, reason) VALUES (%s, 'demo-secretary', "
                        "'disposition', %s, %s, 'null', disposition_json(%s, %s, %s), %s)",
                        (when, proposal, subject, decision, doc_id, articles, reason))
            n += 1

        cur.execute("SELECT c.id FROM campaigns c JOIN documents d ON d.id = c.document_id "
                    "WHERE d.slug = %s ORDER BY c.size DESC, c.id LIMIT 3", (slug,))
        for (cid,) in cur.fetchall():
            record("campaign", cid, f"campaign {cid}", None)
        cur.execute("SELECT p.id FROM proposals p JOIN documents d ON d.id = p.document_id "
                    "WHERE d.slug = %s AND NOT EXISTS (SELECT 1 FROM campaign_members cm "
                    "WHERE cm.proposal_id = p.id) ORDER BY p.id", (slug,))
        for (pid,) in cur.fetchall():
            if rng.random() < 0.1:
                record("proposal", pid, None, pid)
    conn.commit()
    return n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--document", default="kz-1995")
    p.add_argument("--end", default="2026-02-14", type=dt.date.fromisoformat)
    p.add_argument("--days", default=28, type=int)
    p.add_argument("--seed", default=20260131, type=int)
    p.add_argument("--decide", metavar="DRAFT",
                   help="instead of seeding, record demo decisions answered by articles of "
                        "DRAFT (after the campaigns have formed)")
    args = p.parse_args()
    import psycopg2
    conn = psycopg2.connect(args.database_url)
    try:
        if args.decide:
            n = decide(conn, args.document, args.decide, args.end, args.seed)
            print(f"seed_demo: {n} decisions on {args.document}")
            return 0
        n = seed(conn, args.document, args.end, args.days, args.seed)
    finally:
        conn.close()
    print(f"seed_demo: {n} proposals for {args.document}, {args.days} days to {args.end}")


if __name__ == "__main__":
    sys.exit(main())
