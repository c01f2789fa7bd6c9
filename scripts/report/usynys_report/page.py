# The report page, index.html: the Jinja2 template report.html in scripts/report, filled in
# with the figures, with the stylesheet report.css inlined and nothing fetched from elsewhere.

import html
import os

from . import figures
from .definitions import (BREAKDOWNS, CAMPAIGN_ARTICLES_SHOWN, CHANNELS, DECISION_NAMES,
                          DECISIONS, SUBMITTER_TYPES, TOP_ARTICLES, TOP_REGIONS, section_colour)
from .errors import EXIT_OTHER, Failure
from .text import pct, short, signed, thousands

ASSETS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # scripts/report

BREAKDOWN_TITLES = {"submitter_type": "Submitter type", "channel": "Channel",
                    "language": "Language", "region": "Region"}
VALUE_NAMES = {"state_body": "state body", "e-otinish": "e-Otinish", "egov": "eGov",
               "kk": "Kazakh (kk)", "ru": "Russian (ru)", "en": "English (en)"}


def value_name(v):
    return VALUE_NAMES.get(v, v) if v else "not given"


def that_day(n):
    return signed(n) if n else "–"


def width(fraction):
    """A share as the width of its bar, in percent of the whole."""
    return f"{max(0.0, min(1.0, fraction)) * 100:.2f}"


def by_count(counts):
    """The (value, count) pairs of a breakdown object, largest first, ties in the order of the
    known values (channels, submitter types), then by name."""
    known = {v: i for i, v in enumerate(CHANNELS + SUBMITTER_TYPES)}
    return sorted(counts.items(), key=lambda kv: (-kv[1], known.get(kv[0], len(known)), kv[0]))


def environment():
    try:
        import jinja2  # Debian: python3-jinja2
        import markupsafe
    except ImportError:
        raise Failure(EXIT_OTHER, "python3-jinja2 is not installed (scripts/deps.sh run)")

    def escape(value):
        # Every value is escaped by html.escape (&quot; and &#x27;), not by markupsafe's rules
        # (&#34; and &#39;), so that the page stays the same byte for byte; markup that is
        # already safe (macros, |safe) is left alone.
        if hasattr(value, "__html__"):
            return value
        return markupsafe.Markup(html.escape(str(value), quote=True))

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS), autoescape=True, finalize=escape,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.filters.update(pct=pct, signed=signed, thousands=thousands, short=short,
                       colour=section_colour, that_day=that_day, value_name=value_name,
                       width=width, by_count=by_count)
    env.globals.update(share=figures.share)
    return env


def render(r):
    """The page of the report `r` (what figures.compute returns), as text."""
    s = r["summary"]
    d = r["doc"]
    breakdowns = []
    for name, _, _ in BREAKDOWNS:
        rows = r["breakdowns"][name]
        if name == "region":
            rows = figures.fold_rest(rows, TOP_REGIONS)
        breakdowns.append((BREAKDOWN_TITLES[name], rows))
    with open(os.path.join(ASSETS, "report.css"), encoding="utf-8") as f:
        css = f.read()
    return environment().get_template("report.html").render(
        s=s, d=d, prev=s["previous_day"], total=s["proposals"], css=css,
        sections=r["sections"], top=r["top"], top_n=TOP_ARTICLES,
        untouched=figures.untouched_groups(d["sections"], d["articles"]),
        breakdowns=breakdowns, carried=r["carried"], carried_s=s.get("carried_over"),
        camp=s["campaigns"], camp_articles=r["campaign_articles"],
        camp_articles_shown=CAMPAIGN_ARTICLES_SHOWN)


def render_said(r):
    """The page "You said, we did" of the report `r`, as text."""
    with open(os.path.join(ASSETS, "report.css"), encoding="utf-8") as f:
        css = f.read()
    return environment().get_template("you-said-we-did.html").render(
        s=r["summary"], d=r["doc"], total=r["summary"]["proposals"], css=css, said=r["said"],
        camp=r["summary"]["campaigns"], order=DECISIONS + ("undecided",), names=DECISION_NAMES)


def write(out, r):
    for name, text in (("index.html", render(r)), ("you-said-we-did.html", render_said(r))):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
