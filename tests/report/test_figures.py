"""Unit tests of scripts/report/usynys_report/figures.py: the report's arithmetic on hand-made
snapshots, without a database, gnuplot or files.

Run by hand:

    cd tests/report && /usr/bin/python3 -m unittest -v test_figures
"""

import datetime as dt
import hashlib
import json
import sys
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "report"))

from usynys_report import figures  # noqa: E402
from usynys_report.definitions import DEFINITIONS_VERSION, SUBMITTER_TYPES  # noqa: E402

DAY = dt.date(2025, 3, 3)


def article(id_, position, section, chars=100, repealed=False, proposals=0, first_at=None):
    return {"id": id_, "position": position, "section": section, "chars": chars,
            "repealed": repealed, "proposals": proposals, "first_at": first_at}


def snapshot():
    """Two sections, five articles (one repealed), four counted proposals, one of them on DAY.

    Article 1 (section 1, 100 chars): p1 on 03-01 (citizen) and p4 on DAY (expert);
    article 2 (section 1, 300 chars): untouched; article 3 (section 2, 50 chars): p4 on DAY;
    article 4 (section 2, repealed): p2; article 5 (section 2, 50 chars): p3 on 03-02.
    p1 and p4 are the two counted members of campaign 7.
    """
    return {
        "id": 1, "slug": "doc", "title": "Doc", "version": "v1", "language": "en",
        "source_sha256": "ab" * 32, "day": DAY,
        "sections": [{"number": 1, "roman": "I", "title": "One"},
                     {"number": 2, "roman": "II", "title": "Two"}],
        "articles": [{"id": "1", "position": 1, "section": 1, "chars": 100, "repealed": False},
                     {"id": "2", "position": 2, "section": 1, "chars": 300, "repealed": False},
                     {"id": "3", "position": 3, "section": 2, "chars": 50, "repealed": False},
                     {"id": "4", "position": 4, "section": 2, "chars": 70, "repealed": True},
                     {"id": "5", "position": 5, "section": 2, "chars": 50, "repealed": False}],
        "proposals": 4, "max_id": 9, "proposals_that_day": 1, "ids_md5": "0" * 32,
        "untagged": 1, "untagged_that_day": 0,
        # The untagged proposal's estimate is article 2; p1 was tagged by staff.
        "tagged_by_submitter": 2, "tagged_by_staff": 1, "estimates": {"2": 1},
        "suggestion_model": "model/1", "estimate_threshold": 0.7,
        "article_counts": [
            ("1", "citizen", 1, 0, "2025-03-01T08:00:00.000000Z", "2025-03-01T08:00:00.000000Z"),
            ("1", "expert", 1, 1, "2025-03-03T10:00:00.000000Z", "2025-03-03T10:00:00.000000Z"),
            ("3", "expert", 1, 1, "2025-03-03T10:00:00.000000Z", "2025-03-03T10:00:00.000000Z"),
            ("4", "party", 1, 0, "2025-03-01T09:00:00.000000Z", "2025-03-01T09:00:00.000000Z"),
            ("5", "citizen", 1, 0, "2025-03-02T12:00:00.000000Z", "2025-03-02T12:00:00.000000Z"),
            ("gone", "citizen", 5, 5, "2025-03-03T00:00:00.000000Z",
             "2025-03-03T00:00:00.000000Z"),
        ],
        "section_proposals": {1: (2, 1), 2: (2, 1)},
        "campaign_cells": [
            (7, "citizen", "web", 1, 0, "2025-03-01T08:00:00.000000Z",
             "2025-03-01T08:00:00.000000Z"),
            (7, "expert", "web", 1, 1, "2025-03-03T10:00:00.000000Z",
             "2025-03-03T10:00:00.000000Z"),
        ],
        "campaign_articles": [(7, "1", 2), (7, "3", 1)],
        "decisions": [("", "accepted", "Yes.", 1), ("", "rejected", "No.", 1),
                      ("1", "accepted", "Yes.", 1), ("1", "rejected", "No.", 1)],
        "answers": [("1", "draft", "9", 1)],
        "titles": {("doc", "1"): {"document_title": "Doc", "section": "I",
                                  "section_title": "General", "position": 1,
                                  "text": "The people are the only source of state power."},
                   ("draft", "9"): {"document_title": "Draft", "section": "II",
                                    "section_title": "Rights", "position": 9, "text": "Nine."}},
        "per_day": [(dt.date(2025, 3, 1), 2), (dt.date(2025, 3, 2), 1), (DAY, 1)],
        "breakdowns": {
            "submitter_type": [("citizen", 2, 0), ("expert", 1, 1), ("party", 1, 0)],
            "channel": [("web", 4, 1)],
            "language": [("", 1, 0), ("en", 3, 1)],
            "region": [("Astana", 1, 0), ("", 2, 1), ("Almaty", 1, 0)],
        },
    }


class ShareTest(unittest.TestCase):
    def test_is_a_double_and_zero_without_a_total(self):
        self.assertEqual(figures.share(1, 4), 0.25)
        self.assertIs(type(figures.share(2, 2)), float)
        self.assertEqual(figures.share(0, 0), 0.0)
        self.assertEqual(figures.share(3, 0), 0.0)
        self.assertEqual(figures.share(1, 3), 1.0 / 3.0)


class AddCountsTest(unittest.TestCase):
    def test_sums_rows_per_article_and_keeps_first_and_last(self):
        d = snapshot()
        arts = {a["id"]: a for a in figures.add_counts(d["sections"], d["articles"],
                                                       d["article_counts"])}
        a1 = arts["1"]
        self.assertEqual((a1["proposals"], a1["that_day"]), (2, 1))
        self.assertEqual(a1["first_at"], "2025-03-01T08:00:00.000000Z")
        self.assertEqual(a1["last_at"], "2025-03-03T10:00:00.000000Z")
        self.assertEqual(a1["by_type"], {"citizen": 1, "party": 0, "organization": 0,
                                         "expert": 1, "state_body": 0})
        self.assertEqual(list(a1["by_type"]), list(SUBMITTER_TYPES))
        self.assertEqual(a1["section_roman"], "I")
        a2 = arts["2"]
        self.assertEqual((a2["proposals"], a2["that_day"], a2["first_at"], a2["last_at"]),
                         (0, 0, None, None))
        self.assertEqual(arts["4"]["proposals"], 1)  # repealed articles are counted too
        self.assertNotIn("gone", arts)  # rows of unknown articles are ignored

    def test_an_article_outside_the_sections_shows_its_number(self):
        arts = figures.add_counts([], [article("1", 1, 7)], [])
        self.assertEqual(arts[0]["section_roman"], "7")

    def test_starts_from_zero_when_run_again(self):
        d = snapshot()
        figures.add_counts(d["sections"], d["articles"], d["article_counts"])
        figures.add_counts(d["sections"], d["articles"], d["article_counts"])
        self.assertEqual(d["articles"][0]["proposals"], 2)


class CoverageTest(unittest.TestCase):
    def test_counts_articles_sections_and_content(self):
        live = [article("1", 1, 1, 100, proposals=1), article("2", 2, 1, 300),
                article("3", 3, 2, 50, proposals=2), article("5", 5, 2, 50)]
        c = figures.coverage(live, [live[0], live[2]], 7, 2)
        self.assertEqual(c, {
            "proposals": 7, "untagged": 2, "articles_total": 4, "articles_touched": 2, "articles_share": 0.5,
            "sections_total": 2, "sections_touched": 2, "sections_share": 1.0,
            "content_chars_total": 500, "content_chars_touched": 150, "content_share": 0.3})

    def test_an_empty_document_has_zero_shares(self):
        c = figures.coverage([], [], 0)
        self.assertEqual((c["articles_share"], c["sections_share"], c["content_share"]),
                         (0.0, 0.0, 0.0))

    def test_previous_day_keeps_what_the_page_compares(self):
        live = [article("1", 1, 1, 100, proposals=1)]
        before = figures.coverage(live, live, 3)
        self.assertEqual(figures.previous_day(before), {
            "proposals": 3, "untagged": 0, "articles_touched": 1, "articles_share": 1.0,
            "sections_touched": 1, "sections_share": 1.0, "content_chars_touched": 100,
            "content_share": 1.0})


class SectionRowsTest(unittest.TestCase):
    def test_one_row_per_section_with_articles_in_force(self):
        sections = [{"number": 1, "roman": "I", "title": "One"},
                    {"number": 2, "roman": "II", "title": "Two"},
                    {"number": 3, "roman": "III", "title": "Empty"}]
        live = [article("1", 1, 1, 100, proposals=2), article("2", 2, 1, 300),
                article("3", 3, 2, 50, proposals=1)]
        rows = figures.section_rows(sections, live, {1: (2, 1), 2: (1, 0)})
        self.assertEqual([r["section"] for r in rows], ["I", "II", "III"])
        self.assertEqual(rows[0], {
            "number": 1, "section": "I", "title": "One", "articles_total": 2,
            "articles_touched": 1, "articles_share": 0.5, "proposals": 2, "that_day": 1,
            "content_chars_total": 400, "content_chars_touched": 100, "content_share": 0.25})
        self.assertEqual((rows[1]["articles_share"], rows[1]["content_share"]), (1.0, 1.0))
        self.assertEqual((rows[2]["articles_total"], rows[2]["proposals"], rows[2]["that_day"],
                          rows[2]["articles_share"], rows[2]["content_share"]),
                         (0, 0, 0, 0.0, 0.0))


class FingerprintTest(unittest.TestCase):
    def test_is_the_sha256_of_canonical_json(self):
        value = {"b": 1, "a": "é"}
        self.assertEqual(figures.fingerprint(value),
                         hashlib.sha256(b'{"a":"\\u00e9","b":1}').hexdigest())
        self.assertEqual(figures.fingerprint({"a": "é", "b": 1}), figures.fingerprint(value))
        self.assertNotEqual(figures.fingerprint({"a": "é", "b": 2}), figures.fingerprint(value))


class TimelineTest(unittest.TestCase):
    def test_every_day_from_the_first_proposal_with_the_cumulative_share(self):
        touched = [article("1", 1, 1, first_at="2025-03-01T08:00:00.000000Z"),
                   article("2", 2, 1, first_at="2025-03-03T00:00:00.000000Z"),
                   article("3", 3, 1, first_at="2025-03-03T23:59:59.999999Z")]
        rows = figures.timeline(DAY, [(dt.date(2025, 2, 28), 2), (dt.date(2025, 3, 1), 1),
                                      (DAY, 4)], touched, 4)
        self.assertEqual(rows, [(dt.date(2025, 2, 28), 2, 0.0),
                                (dt.date(2025, 3, 1), 1, 0.25),
                                (dt.date(2025, 3, 2), 0, 0.25),  # a day without proposals
                                (DAY, 4, 0.75)])

    def test_no_proposal_yet_is_one_empty_day(self):
        self.assertEqual(figures.timeline(DAY, [], [], 10), [(DAY, 0, 0.0)])

    def test_no_article_in_force_keeps_a_zero_share(self):
        self.assertEqual(figures.timeline(DAY, [(DAY, 3)], [], 0), [(DAY, 3, 0.0)])


class BreakdownTest(unittest.TestCase):
    def test_known_values_first_in_their_order_even_when_absent(self):
        rows = figures.order_breakdown([("expert", 2, 1), ("citizen", 5, 0)], SUBMITTER_TYPES)
        self.assertEqual(rows, [("citizen", 5, 0), ("party", 0, 0), ("organization", 0, 0),
                                ("expert", 2, 1), ("state_body", 0, 0)])

    def test_other_values_by_count_then_name_not_given_last(self):
        rows = figures.order_breakdown(
            [("Astana", 1, 0), ("", 3, 1), ("Almaty", 3, 0), ("Aktobe", 1, 1)], ())
        self.assertEqual(rows, [("Almaty", 3, 0), ("", 3, 1), ("Aktobe", 1, 1),
                                ("Astana", 1, 0)])

    def test_unknown_values_follow_the_known_ones(self):
        rows = figures.order_breakdown([("xx", 9, 0), ("", 1, 0), ("ru", 1, 1)], ("kk", "ru"))
        self.assertEqual(rows, [("kk", 0, 0), ("ru", 1, 1), ("xx", 9, 0), ("", 1, 0)])

    def test_fold_rest_keeps_the_largest_and_sums_the_others(self):
        rows = [("a", 1, 0), ("b", 5, 1), ("", 5, 2), ("c", 2, 1), ("d", 1, 1)]
        self.assertEqual(figures.fold_rest(rows, 5), rows)
        self.assertEqual(figures.fold_rest(rows, 2),
                         [("b", 5, 1), ("", 5, 2), ("other (3 regions)", 4, 2)])
        self.assertEqual(figures.fold_rest(rows, 3),
                         [("b", 5, 1), ("", 5, 2), ("c", 2, 1), ("other (2 regions)", 2, 1)])


class ListsTest(unittest.TestCase):
    def test_top_articles_by_proposals_then_document_order(self):
        live = [article("1", 1, 1, proposals=2), article("2", 2, 1, proposals=0),
                article("3", 3, 1, proposals=5), article("4", 4, 2, proposals=2)]
        self.assertEqual([a["id"] for a in figures.top_articles(live)], ["3", "1", "4"])
        self.assertEqual([a["id"] for a in figures.top_articles(live, 2)], ["3", "1"])
        self.assertEqual(figures.top_articles([article("1", 1, 1)]), [])

    def test_untouched_groups_per_section_in_force_only(self):
        sections = [{"number": 1, "roman": "I"}, {"number": 2, "roman": "II"},
                    {"number": 3, "roman": "III"}]
        arts = [article("1", 1, 1), article("2", 2, 1, proposals=1),
                article("3", 3, 2, proposals=4), article("4", 4, 2, repealed=True),
                article("5", 5, 3), article("6", 6, 3), article("7", 7, 9)]
        self.assertEqual(figures.untouched_groups(sections, arts),
                         [("I", ["1"]), ("III", ["5", "6"])])


class ComputeTest(unittest.TestCase):
    def setUp(self):
        self.r = figures.compute(snapshot())
        self.s = self.r["summary"]

    def test_coverage_at_the_end_of_the_day(self):
        s = self.s
        self.assertEqual((s["document"], s["date"], s["proposals"], s["proposals_that_day"]),
                         ("doc", "2025-03-03", 4, 1))
        self.assertEqual((s["articles_total"], s["articles_touched"]), (4, 3))
        self.assertEqual(s["articles_share"], 0.75)
        self.assertEqual((s["sections_total"], s["sections_touched"], s["sections_share"]),
                         (2, 2, 1.0))
        self.assertEqual((s["content_chars_total"], s["content_chars_touched"]), (500, 200))
        self.assertEqual(s["content_share"], 0.4)
        self.assertEqual(s["untouched_articles"], ["2"])

    def test_since_the_previous_day(self):
        s = self.s
        self.assertEqual(s["new_articles_touched"], 1)
        self.assertEqual(s["new_articles_touched_ids"], ["3"])
        self.assertEqual([a["id"] for a in self.r["new_touched"]], ["3"])
        self.assertEqual(s["previous_day"], {
            "proposals": 3, "untagged": 1, "articles_touched": 2, "articles_share": 0.5,
            "sections_touched": 2, "sections_share": 1.0, "content_chars_touched": 150,
            "content_share": 0.3})

    def test_input_and_fingerprint(self):
        s = self.s
        self.assertEqual(s["definitions_version"], DEFINITIONS_VERSION)
        self.assertEqual(s["input"], {
            "definitions_version": DEFINITIONS_VERSION, "document": "doc",
            "source_sha256": "ab" * 32, "date": "2025-03-03", "proposals": 4,
            "max_proposal_id": 9, "proposal_ids_md5": "0" * 32,
            "tagging_sha256": figures.fingerprint([[["2", 1]], 1, "model/1", 0.7]),
            "campaigns_sha256": figures.fingerprint([
                [[7, "citizen", "web", 1, 0, "2025-03-01T08:00:00.000000Z",
                  "2025-03-01T08:00:00.000000Z"],
                 [7, "expert", "web", 1, 1, "2025-03-03T10:00:00.000000Z",
                  "2025-03-03T10:00:00.000000Z"]],
                [[7, "1", 2], [7, "3", 1]]]),
            "dispositions_sha256": figures.fingerprint([
                [["", "accepted", "Yes.", 1], ["", "rejected", "No.", 1],
                 ["1", "accepted", "Yes.", 1], ["1", "rejected", "No.", 1]],
                [["1", "draft", "9", 1]]])})
        self.assertEqual(s["fingerprint"], figures.fingerprint(s["input"]))
        other = snapshot()
        other["max_id"] = 10
        self.assertNotEqual(figures.compute(other)["summary"]["fingerprint"], s["fingerprint"])
        # A coder's tagging or a new estimate changes the figures, and so the fingerprint.
        other = snapshot()
        other["estimates"] = {"5": 1}
        self.assertNotEqual(figures.compute(other)["summary"]["fingerprint"], s["fingerprint"])
        # So does a campaign that forms or merges: the proposals counted stay the same.
        other = snapshot()
        other["campaign_cells"] = [(8,) + row[1:] for row in other["campaign_cells"]]
        other["campaign_articles"] = [(8,) + row[1:] for row in other["campaign_articles"]]
        self.assertNotEqual(figures.compute(other)["summary"]["fingerprint"], s["fingerprint"])
        other = snapshot()
        other["campaign_cells"] = other["campaign_articles"] = []
        self.assertNotEqual(figures.compute(other)["summary"]["fingerprint"], s["fingerprint"])

    def test_tagged_untagged_and_estimated_side_by_side(self):
        t = self.s["tagging"]
        self.assertEqual((t["tagged"], t["tagged_by_submitter"], t["tagged_by_staff"]), (3, 2, 1))
        self.assertEqual((t["untagged"], t["estimated"], t["untagged_without_estimate"]),
                         (1, 1, 0))
        self.assertEqual((t["model"], t["estimate_threshold"]), ("model/1", 0.7))
        w = t["with_estimates"]
        # Article 2 (300 chars) is touched only through the estimate.
        self.assertEqual((w["articles_touched"], w["content_chars_touched"]), (4, 500))
        self.assertEqual(w["untouched_articles"], [])
        self.assertEqual(w["estimated_proposals"], 1)
        self.assertEqual((self.s["articles_touched"], self.s["untouched_articles"]), (3, ["2"]))

    def test_campaigns_count_once(self):
        c = self.s["campaigns"]
        self.assertEqual(c, {
            "min_size": 2, "campaigns_total": 1, "proposals_in_campaigns": 2,
            "proposals_in_campaigns_share": 0.5, "proposals_unique": 3,
            "largest": [{"id": "7", "size": 2, "share": 0.5, "that_day": 1,
                         "first_at": "2025-03-01T08:00:00.000000Z",
                         "last_at": "2025-03-03T10:00:00.000000Z",
                         "by_channel": {"web": 2},
                         "by_submitter_type": {"citizen": 1, "expert": 1},
                         "articles": ["1", "3"]}],
            # Article 3 has one member of the campaign: counted once either way.
            "articles": [{"id": "1", "section": "I", "repealed": False, "proposals": 2,
                          "proposals_unique": 1}]})
        self.assertEqual(self.r["campaigns"], c["largest"])
        self.assertEqual(self.r["campaign_articles"], c["articles"])

    def test_you_said_we_did_article_by_article(self):
        said = self.r["said"]
        self.assertEqual(said["by_decision"], {
            "accepted": 1, "partly_accepted": 0, "under_review": 0, "rejected": 1,
            "out_of_scope": 0, "undecided": 2})
        self.assertEqual(self.s["dispositions"], said["by_decision"])
        # Articles in force with proposals, in document order (4 is repealed).
        self.assertEqual([a["id"] for a in said["articles"]], ["1", "3", "5"])
        one = said["articles"][0]
        self.assertEqual((one["proposals"], one["proposals_unique"]), (2, 1))
        self.assertEqual(one["campaigns"], [{"id": "7", "size": 2}])
        self.assertEqual(one["by_decision"], {
            "accepted": 1, "partly_accepted": 0, "under_review": 0, "rejected": 1,
            "out_of_scope": 0, "undecided": 0})
        self.assertEqual(one["reasons"], [
            {"decision": "accepted", "reason": "Yes.", "proposals": 1},
            {"decision": "rejected", "reason": "No.", "proposals": 1}])
        self.assertEqual(one["title"]["opening"],
                         "The people are the only source of state power.")
        self.assertEqual((one["title"]["section"], one["title"]["section_title"]),
                         ("I", "General"))
        self.assertEqual(one["answered_by"], [{
            "document": "draft", "document_title": "Draft", "article": "9", "section": "II",
            "section_title": "Rights", "opening": "Nine.", "same_document": False,
            "proposals": 1}])
        three = said["articles"][1]
        self.assertEqual((three["by_decision"]["undecided"], three["reasons"],
                          three["answered_by"]), (1, [], []))

    def test_an_opening_stops_after_its_words(self):
        self.assertEqual(figures.opening("a  b\nc", 2), "a b …")
        self.assertEqual(figures.opening("a b", 2), "a b")

    def test_summary_is_plain_json(self):
        text = json.dumps(self.s, sort_keys=True, allow_nan=False)
        self.assertEqual(json.loads(text), self.s)

    def test_sections_timeline_breakdowns_and_top(self):
        r = self.r
        self.assertEqual([(x["section"], x["articles_total"], x["articles_touched"],
                           x["proposals"], x["that_day"]) for x in r["sections"]],
                         [("I", 2, 1, 2, 1), ("II", 2, 2, 2, 1)])
        self.assertEqual(r["timeline"], [(dt.date(2025, 3, 1), 2, 0.25),
                                         (dt.date(2025, 3, 2), 1, 0.5),
                                         (DAY, 1, 0.75)])
        self.assertEqual([v for v, _, _ in r["breakdowns"]["submitter_type"]],
                         list(SUBMITTER_TYPES))
        self.assertEqual(r["breakdowns"]["language"], [("kk", 0, 0), ("ru", 0, 0),
                                                       ("en", 3, 1), ("", 1, 0)])
        self.assertEqual(r["breakdowns"]["region"], [("", 2, 1), ("Almaty", 1, 0),
                                                     ("Astana", 1, 0)])
        self.assertEqual([a["id"] for a in r["top"]], ["1", "3", "5"])
        self.assertIs(r["doc"]["articles"][0], r["top"][0])  # the page reads the same rows

    def test_a_day_before_any_proposal(self):
        d = snapshot()
        d.update(proposals=0, proposals_that_day=0, untagged=0, untagged_that_day=0, max_id=0,
                 article_counts=[], decisions=[], answers=[],
                 section_proposals={}, per_day=[],
                 breakdowns={k: [] for k in d["breakdowns"]})
        r = figures.compute(d)
        s = r["summary"]
        self.assertEqual((s["proposals"], s["articles_touched"], s["new_articles_touched"]),
                         (0, 0, 0))
        self.assertEqual(s["untouched_articles"], ["1", "2", "3", "5"])
        self.assertEqual(s["previous_day"]["proposals"], 0)
        self.assertEqual(r["timeline"], [(DAY, 0, 0.0)])
        self.assertEqual(r["top"], [])
        self.assertEqual(r["breakdowns"]["region"], [])

    def test_a_day_without_campaigns(self):
        d = snapshot()
        d.update(campaign_cells=[], campaign_articles=[])
        r = figures.compute(d)
        self.assertEqual(r["summary"]["campaigns"], {
            "min_size": 2, "campaigns_total": 0, "proposals_in_campaigns": 0,
            "proposals_in_campaigns_share": 0.0, "proposals_unique": 4, "largest": [],
            "articles": []})
        self.assertEqual((r["campaigns"], r["campaign_articles"]), ([], []))


def cell(campaign, n, first_at, last_at=None, stype="citizen", channel="web", that_day=0):
    return (campaign, stype, channel, n, that_day, f"2025-03-{first_at}T00:00:00.000000Z",
            f"2025-03-{last_at or first_at}T00:00:00.000000Z")


class CampaignsTest(unittest.TestCase):
    """figures.campaigns on its own: rows as db.read_data reads them."""

    def articles(self):
        arts = [article("2", 1, 1), article("9", 2, 1), article("10", 3, 2),
                article("11", 4, 2, repealed=True), article("12", 5, 2)]
        for a, n in zip(arts, (7, 2, 6, 3, 1)):
            a.update(proposals=n, section_roman=["I", "II"][a["section"] - 1])
        return arts

    def test_largest_first_then_by_id_as_a_number(self):
        d = {"proposals": 20, "campaign_cells": [
            cell(100, 2, "01", "02"), cell(100, 1, "03", stype="expert", channel="email",
                                           that_day=1),
            cell(30, 3, "02"), cell(5, 2, "01", "03", channel="egov")],
            "campaign_articles": [(100, "10", 3), (100, "2", 2), (30, "9", 1), (5, "2", 2)]}
        summary, rows, _, _ = figures.campaigns(d, self.articles(), limit=2)
        self.assertEqual([c["id"] for c in rows], ["30", "100", "5"])  # not "100" < "30"
        self.assertEqual([c["id"] for c in summary["largest"]], ["30", "100"])
        self.assertEqual((summary["campaigns_total"], summary["proposals_in_campaigns"]),
                         (3, 8))
        self.assertEqual(summary["proposals_in_campaigns_share"], 0.4)
        self.assertEqual(summary["proposals_unique"], 20 - (8 - 3))
        big = rows[1]
        self.assertEqual((big["size"], big["that_day"], big["share"]), (3, 1, 0.15))
        self.assertEqual((big["first_at"][:10], big["last_at"][:10]),
                         ("2025-03-01", "2025-03-03"))
        self.assertEqual(big["by_channel"], {"web": 2, "email": 1})
        self.assertEqual(big["by_submitter_type"], {"citizen": 2, "expert": 1})
        self.assertEqual(big["articles"], ["2", "10"])  # document order, not by name
        self.assertEqual(rows[0]["articles"], ["9"])
        self.assertEqual(rows[2]["by_channel"], {"egov": 2})

    def test_per_article_each_campaign_once(self):
        d = {"proposals": 20, "campaign_cells": [cell(1, 4, "01"), cell(2, 3, "02")],
             # Campaign 1: 3 members name article 10 and 2 the repealed 11, one names 12;
             # campaign 2: 3 name article 10, 1 names article 2; "gone" is no article.
             "campaign_articles": [(1, "10", 3), (1, "11", 2), (1, "12", 1), (2, "10", 3),
                                   (2, "2", 1), (2, "gone", 3)]}
        summary, rows, most, _ = figures.campaigns(d, self.articles())
        self.assertEqual(summary["articles"], [
            {"id": "10", "section": "II", "repealed": False, "proposals": 6,
             "proposals_unique": 2},
            {"id": "11", "section": "II", "repealed": True, "proposals": 3,
             "proposals_unique": 2}])
        self.assertEqual([a["id"] for a in most], ["10", "11"])
        self.assertEqual(rows[0]["articles"], ["10", "11", "12"])
        self.assertEqual(rows[1]["articles"], ["2", "10"])

    def test_most_affected_first_ties_in_document_order(self):
        d = {"proposals": 9, "campaign_cells": [cell(1, 3, "01")],
             "campaign_articles": [(1, "12", 2), (1, "9", 2), (1, "2", 3)]}
        summary, _, most, _ = figures.campaigns(d, self.articles())
        self.assertEqual([a["id"] for a in summary["articles"]], ["2", "9", "12"])
        self.assertEqual([a["id"] for a in most], ["2", "9", "12"])
        d["campaign_articles"] = [(1, "12", 3), (1, "9", 2), (1, "2", 2)]
        _, _, most, _ = figures.campaigns(d, self.articles())
        self.assertEqual([a["id"] for a in most], ["12", "2", "9"])

    def test_a_campaign_of_one_counted_member_is_none(self):
        d = {"proposals": 5, "campaign_cells": [cell(3, 1, "01"), cell(4, 2, "02")],
             "campaign_articles": [(3, "2", 1), (4, "9", 2)]}
        summary, rows, _, _ = figures.campaigns(d, self.articles())
        self.assertEqual([c["id"] for c in rows], ["4"])
        self.assertEqual((summary["campaigns_total"], summary["proposals_unique"]), (1, 4))
        self.assertEqual([a["id"] for a in summary["articles"]], ["9"])


if __name__ == "__main__":
    unittest.main()
