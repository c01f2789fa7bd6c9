# The report page, index.html: the Jinja2 template report.html in scripts/report, filled in
# with the figures, with the stylesheet report.css inlined and nothing fetched from elsewhere;
# and "You said, we did", you-said-we-did.html. Every word of both comes from the message
# catalogue of the report's language (messages.py), every title from the document's text in it
# (texts.py).

import html
import os

from . import figures
from .definitions import (BREAKDOWNS, CAMPAIGN_ARTICLES_SHOWN, CHANNELS, DECISIONS,
                          SUBMITTER_TYPES, TOP_ARTICLES, TOP_REGIONS, section_colour)
from .errors import EXIT_OTHER, Failure
from .messages import LANGUAGES
from .text import pct, short, signed, thousands

ASSETS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # scripts/report

# The values of each breakdown that have a name in the catalogue (value.DIMENSION.VALUE); the
# others (regions) are shown as they were sent.
NAMED_VALUES = {"submitter_type": SUBMITTER_TYPES, "channel": CHANNELS, "language": LANGUAGES}
OTHER_REGIONS = "other regions"  # (OTHER_REGIONS, n): the row folding the smaller regions


def escape(value):
    # Every value is escaped by html.escape (&quot; and &#x27;), not by markupsafe's rules
    # (&#34; and &#39;), so that the page stays the same byte for byte; markup that is
    # already safe (macros, |safe) is left alone.
    import markupsafe
    if hasattr(value, "__html__"):
        return value
    return markupsafe.Markup(html.escape(str(value), quote=True))


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


def environment(m):
    """The Jinja2 environment of the pages in the language of the messages `m`."""
    try:
        import jinja2  # Debian: python3-jinja2
        import markupsafe
    except ImportError:
        raise Failure(EXIT_OTHER, "python3-jinja2 is not installed (scripts/deps.sh run)")

    def t(key, count=None, **values):
        return markupsafe.Markup(m.html(key, count, lambda v: str(escape(v)), **values))

    def value_name(v, dimension):
        if not v:
            return t("value.not_given")
        if isinstance(v, tuple):  # (OTHER_REGIONS, how many)
            return t("value.other_regions", v[1], n=v[1])
        if v in NAMED_VALUES.get(dimension, ()):
            return t(f"value.{dimension}.{v}")
        return v

    def code(text):
        return markupsafe.Markup("<code>") + escape(text) + markupsafe.Markup("</code>")

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS), autoescape=True, finalize=escape,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.filters.update(pct=pct, signed=signed, thousands=thousands, short=short,
                       colour=section_colour, that_day=that_day, value_name=value_name,
                       width=width, by_count=by_count)
    env.globals.update(share=figures.share, t=t, code=code, lang=m.language)
    return env


def notes(m, r, slugs):
    """One line for each document of `slugs` shown in another language than the report's."""
    lines = []
    for slug in slugs:
        shown = r["doc"]["shown"][slug]
        if shown["fallback"]:
            lines.append(m.text("note.fallback", document=shown["title"],
                                shown=m.text("lang.shown." + shown["language"]),
                                missing=m.text("lang.missing." + m.language)))
    return lines


def version(m, d):
    shown = d["shown"][d["slug"]]
    if shown["version_date"]:
        return m.text("meta.version", version=short(d["version"], 160),
                      date=shown["version_date"])
    return short(d["version"], 160)


def css():
    with open(os.path.join(ASSETS, "report.css"), encoding="utf-8") as f:
        return f.read()


def render(r, m):
    """The page of the report `r` (what figures.compute returns, its snapshot localized by
    texts.localize), in the language of the messages `m`, as text."""
    s = r["summary"]
    d = r["doc"]
    shown = d["shown"][d["slug"]]
    breakdowns = []
    for name, _, _ in BREAKDOWNS:
        rows = r["breakdowns"][name]
        if name == "region":
            rows = figures.fold_rest(rows, TOP_REGIONS, label=lambda n: (OTHER_REGIONS, n))
        breakdowns.append((name, rows))
    sections = [dict(x, shown_title=shown["sections"].get(x["number"], x["title"]))
                for x in r["sections"]]
    return environment(m).get_template("report.html").render(
        s=s, d=d, shown=shown, version=version(m, d), notes=notes(m, r, [d["slug"]]),
        prev=s["previous_day"], total=s["proposals"], css=css(),
        sections=sections, top=r["top"], top_n=TOP_ARTICLES,
        untouched=figures.untouched_groups(d["sections"], d["articles"]),
        breakdowns=breakdowns, carried=r["carried"], carried_s=s.get("carried_over"),
        camp=s["campaigns"], camp_articles=r["campaign_articles"],
        camp_articles_shown=CAMPAIGN_ARTICLES_SHOWN)


def render_said(r, m):
    """The page "You said, we did" of the report `r`, in the language of `m`, as text."""
    d = r["doc"]
    named = [d["slug"]] + sorted({x["document"] for a in r["said"]["articles"]
                                  for x in a["answered_by"]} - {d["slug"]})
    return environment(m).get_template("you-said-we-did.html").render(
        s=r["summary"], d=d, shown=d["shown"][d["slug"]], notes=notes(m, r, named),
        total=r["summary"]["proposals"], css=css(), said=r["said"],
        camp=r["summary"]["campaigns"], order=DECISIONS + ("undecided",))


def write(out, r, m):
    for name, text in (("index.html", render(r, m)), ("you-said-we-did.html", render_said(r, m))):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
