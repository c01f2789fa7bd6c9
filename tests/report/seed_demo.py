#!/usr/bin/python3
"""Seeds a database with a deterministic, plausible set of demo proposals.

Usage: tests/report/seed_demo.py --database-url URL [--document SLUG] [--end YYYY-MM-DD]
                                 [--days N] [--seed N]

Inserts proposals received over N days ending on --end (UTC), directly with SQL, for a
document that the server has already loaded (start it once against the database). Never run
it against a database whose data matters: it only adds rows, but they are fake.

scripts/report/example.png was drawn from a fresh cluster so seeded (defaults), then
`scripts/nightly-report --date 2026-02-13` and a Chromium screenshot of its index.html:
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1280,4600 \
      --screenshot=scripts/report/example.png var/reports/kz-1995/2026-02-13/index.html
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
                cur.execute(
                    "INSERT INTO proposals (document_id, submitter_type, submitter_name, "
                    "submitter_region, channel, language, kind, text, received_at, status) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    (doc, stype, name, rng.choice(REGIONS) if rng.random() < 0.85 else None,
                     pick(rng, CHANNELS), pick(rng, LANGUAGES), pick(rng, KINDS),
                     "Demo proposal text.", at, status))
                pid = cur.fetchone()[0]
                count = min(len(articles), rng.choice((1, 1, 1, 1, 2, 2, 3, 4)))
                chosen = set()
                while len(chosen) < count:
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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--document", default="kz-1995")
    p.add_argument("--end", default="2026-02-14", type=dt.date.fromisoformat)
    p.add_argument("--days", default=28, type=int)
    p.add_argument("--seed", default=20260131, type=int)
    args = p.parse_args()
    import psycopg2
    conn = psycopg2.connect(args.database_url)
    try:
        n = seed(conn, args.document, args.end, args.days, args.seed)
    finally:
        conn.close()
    print(f"seed_demo: {n} proposals for {args.document}, {args.days} days to {args.end}")


if __name__ == "__main__":
    sys.exit(main())
