# The figures of a report, derived from what db.read_data read: per-article counts, coverage
# shares (now and at the end of the previous day), sections, the timeline, the breakdowns and
# the top articles. Pure arithmetic, the same as service/stats: no database, no files.

import datetime as dt
import hashlib
import json

from .definitions import (BREAKDOWNS, CAMPAIGN_MIN_SIZE, CAMPAIGNS_PER_ARTICLE, DECISIONS,
                          DEFINITIONS_VERSION, SUBMITTER_TYPES, TOP_ARTICLES,
                          TOP_CAMPAIGN_ARTICLES, TOP_CAMPAIGNS, WORDS_SHOWN)


def share(part, total):
    return 0.0 if total == 0 else float(part) / float(total)


def add_counts(sections, articles, article_counts):
    """Gives each article (in place) its counts from the rows (article, submitter type,
    proposals, proposals that day, first and last received_at as text), its counts by
    submitter type and its section's Roman number. Rows of unknown articles are ignored."""
    roman = {s["number"]: s["roman"] for s in sections}
    by_id = {a["id"]: a for a in articles}
    for a in articles:
        a.update(proposals=0, that_day=0, first_at=None, last_at=None,
                 by_type={t: 0 for t in SUBMITTER_TYPES})
        a["section_roman"] = roman[a["section"]] if a["section"] in roman else str(a["section"])
    for article_id, stype, n, n_day, first_at, last_at in article_counts:
        a = by_id.get(article_id)
        if a is None:
            continue
        a["proposals"] += n
        a["that_day"] += n_day
        a["by_type"][stype] = a["by_type"].get(stype, 0) + n
        if a["first_at"] is None or first_at < a["first_at"]:
            a["first_at"] = first_at
        if a["last_at"] is None or last_at > a["last_at"]:
            a["last_at"] = last_at
    return articles


def coverage(live, touched, proposals, untagged=0):
    """The coverage figures of the articles in force `live` of which `touched` are touched;
    `untagged` of the `proposals` name no article."""
    c = {"proposals": proposals,
         "untagged": untagged,
         "articles_total": len(live),
         "articles_touched": len(touched),
         "sections_total": len({a["section"] for a in live}),
         "sections_touched": len({a["section"] for a in touched}),
         "content_chars_total": sum(a["chars"] for a in live),
         "content_chars_touched": sum(a["chars"] for a in touched)}
    c["articles_share"] = share(c["articles_touched"], c["articles_total"])
    c["sections_share"] = share(c["sections_touched"], c["sections_total"])
    c["content_share"] = share(c["content_chars_touched"], c["content_chars_total"])
    return c


def previous_day(before):
    """The figures "since the previous day" compares with, from its coverage."""
    return {k: before[k] for k in (
        "proposals", "untagged", "articles_touched", "articles_share", "sections_touched",
        "sections_share", "content_chars_touched", "content_share")}


def section_rows(sections, live, section_proposals):
    """One row per section: its articles in force, touched ones, proposals and content."""
    rows = []
    for s in sections:
        in_s = [a for a in live if a["section"] == s["number"]]
        t = [a for a in in_s if a["proposals"] > 0]
        n, n_day = section_proposals.get(s["number"], (0, 0))
        total_chars = sum(a["chars"] for a in in_s)
        touched_chars = sum(a["chars"] for a in t)
        rows.append({
            "number": s["number"], "section": s["roman"], "title": s["title"],
            "articles_total": len(in_s), "articles_touched": len(t),
            "articles_share": share(len(t), len(in_s)), "proposals": n, "that_day": n_day,
            "content_chars_total": total_chars, "content_chars_touched": touched_chars,
            "content_share": share(touched_chars, total_chars)})
    return rows


def fingerprint(input_):
    """The SHA-256 of the report's input, as canonical JSON."""
    return hashlib.sha256(
        json.dumps(input_, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def timeline(day, per_day, touched, articles_total):
    """(day, proposals that day, share of articles touched by its end) for every day from the
    first counted proposal (or `day`, when later) to `day`."""
    per_day = dict(per_day)
    first_day = min([day] + list(per_day))
    first_touch = {}
    for a in touched:
        k = dt.date.fromisoformat(a["first_at"][:10])
        first_touch[k] = first_touch.get(k, 0) + 1
    rows, cumulative, x = [], 0, first_day
    while x <= day:
        cumulative += first_touch.get(x, 0)
        rows.append((x, per_day.get(x, 0), share(cumulative, articles_total)))
        x += dt.timedelta(days=1)
    return rows


def order_breakdown(rows, known):
    """The rows (value, proposals, that day) of one breakdown with every known value (0 when
    absent) first, in their order, then the others by count, "not given" ('') last."""
    counts = {v: (n, n_day) for v, n, n_day in rows}
    for v in known:
        counts.setdefault(v, (0, 0))
    order = {v: i for i, v in enumerate(known)}
    return sorted(
        ((v, n, n_day) for v, n, n_day in ((v,) + counts[v] for v in counts)),
        key=lambda r: (order.get(r[0], len(order)), -r[1], r[0] == "", r[0]))


def fold_rest(rows, keep, label=lambda n: f"other ({n} regions)"):
    """The `keep` largest rows, then one row summing the others, when there are more; its
    value is label(how many)."""
    if len(rows) <= keep:
        return rows
    shown = sorted(rows, key=lambda x: (-x[1], x[0] == "", x[0]))[:keep]
    rest = [x for x in rows if x not in shown]
    return shown + [(label(len(rest)), sum(x[1] for x in rest),
                     sum(x[2] for x in rest))]


def top_articles(live, limit=TOP_ARTICLES):
    """The touched articles with the most proposals, ties in document order."""
    return sorted((a for a in live if a["proposals"] > 0),
                  key=lambda a: (-a["proposals"], a["position"]))[:limit]


def untouched_groups(sections, articles):
    """(section's Roman number, ids of its articles in force without a proposal) for every
    section that has some, in section order."""
    groups = []
    for s in sections:
        ids = [a["id"] for a in articles
               if a["section"] == s["number"] and not a["repealed"] and a["proposals"] == 0]
        if ids:
            groups.append((s["roman"], ids))
    return groups


def carried_over(d, live, proposals, untagged):
    """Through the article map onto the document: one row per article in force (its
    predecessors, whether the pair counts, the proposals of its own and through the map) and the
    coverage counting both, as GET /api/v1/stats/coverage?via= computes it."""
    m = d["map"]
    rows = []
    touched = []
    confirmed = suggested = new = 0
    for a in live:
        p = m["pairs"].get(a["id"], {"predecessors": [], "confirmed": False, "score": None,
                                     "flag": None})
        counted = p["confirmed"] or (p["score"] is not None and p["score"] >= m["min_score"])
        if counted and p["predecessors"]:
            if p["confirmed"]:
                confirmed += 1
            else:
                suggested += 1
        if not p["predecessors"]:
            new += 1
        through, through_day = m["through"].get(a["id"], (0, 0))
        rows.append({"id": a["id"], "section_roman": a["section_roman"],
                     "predecessors": p["predecessors"],
                     "status": "confirmed" if p["confirmed"] else "suggested",
                     "score": p["score"], "counted": counted, "flag": p["flag"],
                     "own": a["proposals"], "through": through, "through_that_day": through_day,
                     "total": a["proposals"] + through})
        if a["proposals"] + through > 0:
            touched.append(a)
    summary = coverage(live, touched, proposals + m["proposals"], untagged + m["untagged"])
    touched_ids = {a["id"] for a in touched}
    summary.update({
        "from": m["from"], "method": m["method"], "computed_at": m["computed_at"],
        "min_score": m["min_score"], "pairs_confirmed": confirmed, "pairs_suggested": suggested,
        "new_articles": new, "from_proposals": m["proposals"], "from_untagged": m["untagged"],
        "untouched_articles": [a["id"] for a in live if a["id"] not in touched_ids],
    })
    pairs_input = [[r["id"], r["predecessors"], r["counted"]] for r in rows]
    input_ = {"from": m["from"], "from_proposals": m["proposals"],
              "from_max_proposal_id": m["max_id"], "from_proposal_ids_md5": m["ids_md5"],
              "pairs_sha256": fingerprint(pairs_input)}
    return summary, rows, input_


def tagging(d, live, touched):
    """Tagged, untagged and estimated proposals side by side, and the coverage counting the
    estimates too, as GET /api/v1/stats/coverage?include_suggested=true computes it."""
    estimates = d["estimates"]
    ids = {a["id"] for a in touched} | {k for k, n in estimates.items() if n > 0}
    with_estimates = coverage(live, [a for a in live if a["id"] in ids], d["proposals"],
                              d["untagged"])
    with_estimates["estimated_proposals"] = sum(estimates.values())
    with_estimates["untouched_articles"] = [a["id"] for a in live if a["id"] not in ids]
    estimated = sum(estimates.values())
    return {"tagged": d["proposals"] - d["untagged"],
            "tagged_by_submitter": d["tagged_by_submitter"],
            "tagged_by_staff": d["tagged_by_staff"],
            "untagged": d["untagged"],
            "estimated": estimated,
            "untagged_without_estimate": d["untagged"] - estimated,
            "model": d["suggestion_model"],
            "estimate_threshold": d["estimate_threshold"],
            "with_estimates": with_estimates}


def campaigns(d, articles, limit=TOP_CAMPAIGNS):
    """Campaigns as of the end of the day, from the rows db.read_data read for the campaigns
    with at least CAMPAIGN_MIN_SIZE counted members: d["campaign_cells"] (campaign, submitter
    type, channel, members, of them that day, first and last received_at as text) and
    d["campaign_articles"] (campaign, article, members referencing it). `articles`: the
    document's articles with their counts (add_counts). Returns the summary (totals,
    proposals_unique, the `limit` largest campaigns and, in document order, the articles whose
    proposals_unique differs from their proposals), every campaign largest first, and those
    articles most inflated first. The same arithmetic as GET /api/v1/stats/campaigns and
    proposals_unique of the statistics API: a campaign of m counted members counts m - 1
    proposals too many, for the document and for each article that m of them reference."""
    by_id = {}
    for cid, stype, channel, n, n_day, first_at, last_at in d["campaign_cells"]:
        c = by_id.setdefault(cid, {"id": str(cid), "size": 0, "that_day": 0, "first_at": None,
                                   "last_at": None, "by_channel": {}, "by_submitter_type": {},
                                   "articles": []})
        c["size"] += n
        c["that_day"] += n_day
        c["by_channel"][channel] = c["by_channel"].get(channel, 0) + n
        c["by_submitter_type"][stype] = c["by_submitter_type"].get(stype, 0) + n
        if c["first_at"] is None or first_at < c["first_at"]:
            c["first_at"] = first_at
        if c["last_at"] is None or last_at > c["last_at"]:
            c["last_at"] = last_at
    listed = {cid: c for cid, c in by_id.items() if c["size"] >= CAMPAIGN_MIN_SIZE}
    position = {a["id"]: a["position"] for a in articles}
    excess = {}
    for cid, article_id, n in d["campaign_articles"]:
        if cid not in listed or article_id not in position or n <= 0:
            continue  # unknown articles count nowhere, as in add_counts
        listed[cid]["articles"].append(article_id)
        excess[article_id] = excess.get(article_id, 0) + n - 1
    for c in listed.values():
        c["articles"].sort(key=lambda a: position[a])
        c["share"] = share(c["size"], d["proposals"])
    ordered = sorted(listed.values(), key=lambda c: (-c["size"], int(c["id"])))
    members = sum(c["size"] for c in ordered)
    inflated = [{"id": a["id"], "section": a["section_roman"], "repealed": a["repealed"],
                 "proposals": a["proposals"], "proposals_unique": a["proposals"] - excess[a["id"]]}
                for a in articles if excess.get(a["id"], 0) > 0]
    summary = {
        "min_size": CAMPAIGN_MIN_SIZE,
        "campaigns_total": len(ordered),
        "proposals_in_campaigns": members,
        "proposals_in_campaigns_share": share(members, d["proposals"]),
        "proposals_unique": d["proposals"] - (members - len(ordered)),
        "largest": ordered[:limit],
        "articles": inflated,
    }
    most = sorted(inflated, key=lambda a: (a["proposals_unique"] - a["proposals"],
                                           position[a["id"]]))
    return summary, ordered, most, excess


def opening(text, words=WORDS_SHOWN):
    """The first words of an article's text, for a reader to recognise it."""
    parts = " ".join(text.split()).split(" ")
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def article_title(d, slug, article_id):
    """How the page names an article: its document (when another), number, section and opening
    words."""
    t = d["titles"].get((slug, article_id))
    if t is None:
        return {"document": slug, "document_title": slug, "article": article_id, "section": "",
                "section_title": "", "opening": "", "same_document": slug == d["slug"]}
    return {"document": slug, "document_title": t["document_title"], "article": article_id,
            "section": t["section"], "section_title": t["section_title"],
            "opening": opening(t["text"]), "same_document": slug == d["slug"]}


def position_in(d, slug, article_id):
    t = d["titles"].get((slug, article_id))
    return t["position"] if t else 0


def you_said_we_did(d, articles, campaigns_ordered, excess):
    """Per article in force that proposals reference or decisions name, in document order: what
    was proposed (proposals, unique positions, the largest campaigns), what was decided (counts
    by decision, undecided included, and each reason as written with how many proposals it was
    given for) and the articles that answer it. Also the same for the document as a whole."""
    decided = {}
    for article_id, decision, reason, n in d["decisions"]:
        a = decided.setdefault(article_id, {"by_decision": {}, "reasons": {}})
        a["by_decision"][decision] = a["by_decision"].get(decision, 0) + n
        a["reasons"][(decision, reason)] = a["reasons"].get((decision, reason), 0) + n
    answers = {}
    for article_id, slug, answering, n in d["answers"]:
        answers.setdefault(article_id, []).append((slug, answering, n))
    largest = {}
    for c in campaigns_ordered:
        for article_id in c["articles"]:
            largest.setdefault(article_id, []).append(c)

    def decisions(key, proposals):
        got = decided.get(key, {"by_decision": {}, "reasons": {}})
        by = {k: got["by_decision"].get(k, 0) for k in DECISIONS}
        by["undecided"] = proposals - sum(by.values())
        reasons = sorted(({"decision": k[0], "reason": k[1], "proposals": n}
                          for k, n in got["reasons"].items()),
                         key=lambda r: (DECISIONS.index(r["decision"]), -r["proposals"],
                                        r["reason"]))
        return by, reasons

    rows = []
    for a in articles:
        if a["repealed"] or (a["proposals"] == 0 and a["id"] not in decided):
            continue
        by, reasons = decisions(a["id"], a["proposals"])
        answered = [dict(article_title(d, slug, art), proposals=n)
                    for slug, art, n in sorted(answers.get(a["id"], []),
                                               key=lambda x: (x[0] != d["slug"], x[0],
                                                              position_in(d, x[0], x[1])))]
        rows.append({"title": article_title(d, d["slug"], a["id"]),
                     "id": a["id"], "section": a["section_roman"],
                     "proposals": a["proposals"],
                     "proposals_unique": a["proposals"] - excess.get(a["id"], 0),
                     "campaigns": [{"id": c["id"], "size": c["size"]}
                                   for c in largest.get(a["id"], [])[:CAMPAIGNS_PER_ARTICLE]],
                     "by_decision": by, "reasons": reasons, "answered_by": answered})
    overall, overall_reasons = decisions("", d["proposals"])
    return {"by_decision": overall, "reasons": overall_reasons, "articles": rows}


def compute(d):
    """Derives every figure from the snapshot; the same arithmetic as service/stats."""
    day = d["day"]
    articles = add_counts(d["sections"], d["articles"], d["article_counts"])
    live = [a for a in articles if not a["repealed"]]
    touched = [a for a in live if a["proposals"] > 0]
    day_text = day.isoformat()
    touched_before = [a for a in touched if a["first_at"][:10] < day_text]
    new_touched = [a for a in touched if a["first_at"][:10] == day_text]

    now = coverage(live, touched, d["proposals"], d["untagged"])
    before = coverage(live, touched_before, d["proposals"] - d["proposals_that_day"],
                      d["untagged"] - d["untagged_that_day"])

    input_ = {"definitions_version": DEFINITIONS_VERSION, "document": d["slug"],
              "source_sha256": d["source_sha256"], "date": day_text,
              "proposals": d["proposals"], "max_proposal_id": d["max_id"],
              "proposal_ids_md5": d["ids_md5"]}
    # Estimates and coders' tagging change the tagging figures without changing the proposals.
    input_["tagging_sha256"] = fingerprint([sorted(d["estimates"].items()), d["tagged_by_staff"],
                                            d["suggestion_model"], d["estimate_threshold"]])
    # Campaigns form, merge and lose members without a change in the proposals counted.
    input_["campaigns_sha256"] = fingerprint([d["campaign_cells"], d["campaign_articles"]])
    # Decisions change without a change in the proposals counted.
    input_["dispositions_sha256"] = fingerprint([d["decisions"], d["answers"]])
    carried, carried_rows = None, []
    if d.get("map") is not None:
        carried, carried_rows, input_["carried_over"] = carried_over(
            d, live, d["proposals"], d["untagged"])

    summary = dict(now)
    summary.update({
        "document": d["slug"],
        "date": day_text,
        "untouched_articles": [a["id"] for a in live if a["proposals"] == 0],
        "proposals_that_day": d["proposals_that_day"],
        "untagged_that_day": d["untagged_that_day"],
        "new_articles_touched": len(new_touched),
        "new_articles_touched_ids": [a["id"] for a in new_touched],
        "definitions_version": DEFINITIONS_VERSION,
        "fingerprint": fingerprint(input_),
        "input": input_,
        "previous_day": previous_day(before),
    })
    if carried is not None:
        summary["carried_over"] = carried
    summary["tagging"] = tagging(d, live, touched)
    summary["campaigns"], campaign_rows, inflated, excess = campaigns(d, articles)
    said = you_said_we_did(d, articles, campaign_rows, excess)
    summary["dispositions"] = said["by_decision"]

    breakdowns = {name: order_breakdown(d["breakdowns"][name], known)
                  for name, _, known in BREAKDOWNS}
    return {"doc": d, "summary": summary,
            "sections": section_rows(d["sections"], live, d["section_proposals"]),
            "timeline": timeline(day, d["per_day"], touched, len(live)),
            "breakdowns": breakdowns, "top": top_articles(live), "new_touched": new_touched,
            "carried": carried_rows, "campaigns": campaign_rows, "said": said,
            "campaign_articles": inflated[:TOP_CAMPAIGN_ARTICLES]}
