# The three charts of a report, drawn by gnuplot (pngcairo, UTF-8, DejaVu Sans: Cyrillic and
# the Kazakh letters included) from the .gp scripts in scripts/report, filled in with
# string.Template, and data files written to a scratch folder. Every title, axis label and
# legend comes from the message catalogue of the report's language, section titles from the
# document's text in it.

import datetime as dt
import math
import os
import shutil
import string
import subprocess

from .definitions import section_colour
from .errors import EXIT_OTHER, Failure, one_line
from .text import short

ASSETS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # scripts/report


def template(name):
    with open(os.path.join(ASSETS, name), encoding="utf-8") as f:
        return string.Template(f.read())


def gp_str(text):
    """A gnuplot double-quoted string literal (labels are drawn with `noenhanced`)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def run_gnuplot(script, work, name):
    path = os.path.join(work, name + ".gp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(script)
    try:
        p = subprocess.run(["gnuplot", path], cwd=work, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    except FileNotFoundError:
        raise Failure(EXIT_OTHER, "gnuplot not found (install gnuplot-nox)") from None
    except subprocess.TimeoutExpired:
        raise Failure(EXIT_OTHER, f"gnuplot took too long drawing {name}") from None
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace")
        errs = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(" ")]
        raise Failure(EXIT_OTHER, f"gnuplot failed drawing {name}: "
                                  f"{one_line(errs[-1] if errs else err)}")


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write("\t".join(str(v).replace("\t", " ") for v in row) + "\n")


def nice_step(top, ticks=6):
    """An integer tic step of 1, 2 or 5 times a power of ten giving about `ticks` tics."""
    raw = max(1.0, top / ticks)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def log_tics(top):
    """Tics 1, 2, 5, 10, 20, ... up to `top`, for a logarithmic colour scale."""
    tics, power = [], 1
    while power <= top:
        tics += [m * power for m in (1, 2, 5) if m * power <= top]
        power *= 10
    return ", ".join(str(t) for t in tics)


def epoch_noon(day):
    return int(dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc).timestamp())


def draw(out, r, m):
    """Draws timeline.png, articles.png and coverage-map.png into `out`, in the language of the
    messages `m`."""
    work = os.path.join(out, ".work")
    os.mkdir(work)
    chart_timeline(out, work, r, m)
    chart_articles(out, work, r, m)
    chart_coverage_map(out, work, r, m)
    shutil.rmtree(work)


def chart_timeline(out, work, r, m):
    timeline = r["timeline"]
    day = r["doc"]["day"]
    rows = [(epoch_noon(x), n, f"{s * 100:.6f}", 0xf28e2b if x == day else 0x4e79a7)
            for x, n, s in timeline]
    write_tsv(os.path.join(work, "timeline.tsv"), rows)
    days = len(timeline)
    step = next((k for k in (1, 2, 7, 14, 28, 56, 91, 182, 364) if days / k <= 14), 728)
    peak = max(n for _, n, _ in timeline)
    last_share = timeline[-1][2] * 100
    script = template("timeline.gp").substitute(
        output=gp_str(os.path.join(out, "timeline.png")),
        data=gp_str("timeline.tsv"),
        title=gp_str(m.text("chart.timeline.title", date=day.isoformat())),
        ylabel=gp_str(m.text("chart.timeline.ylabel")),
        y2label=gp_str(m.text("chart.timeline.y2label")),
        bars=gp_str(m.text("chart.timeline.bars")),
        line=gp_str(m.text("chart.timeline.line")),
        xmin=epoch_noon(timeline[0][0]) - 43200 * 1.3,
        xmax=epoch_noon(timeline[-1][0]) + 43200 * 1.3,
        xstart=epoch_noon(timeline[0][0]),
        xstep=step * 86400,
        xformat=gp_str(m.text("chart.timeline.days" if days <= 120 else "chart.timeline.months")),
        ymax=max(1, math.ceil(peak * 1.18)),
        ystep=nice_step(max(1, math.ceil(peak * 1.18))),
        share_style="linespoints" if days <= 60 else "lines",
        last_x=epoch_noon(timeline[-1][0]),
        last_y=f"{last_share:.6f}",
        last_label=gp_str(f"{last_share:.1f}%"),
        label_dy=-1.2 if last_share > 88 else 1.2,
    )
    run_gnuplot(script, work, "timeline")


def chart_articles(out, work, r, m):
    d = r["doc"]
    arts = d["articles"]
    shown = d["shown"][d["slug"]]["sections"]
    n = len(arts)
    blocks = []
    for s in d["sections"]:
        rows = [(i + 1, a["proposals"], a["id"]) for i, a in enumerate(arts)
                if a["section"] == s["number"] and not a["repealed"]]
        if rows:
            blocks.append((s, rows))
    with open(os.path.join(work, "articles.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for s, rows in blocks:
            for row in rows:
                f.write("\t".join(map(str, row)) + "\n")
            f.write("\n\n")
    repealed = [(i + 1, a["id"]) for i, a in enumerate(arts) if a["repealed"]]
    write_tsv(os.path.join(work, "repealed.tsv"), repealed or [(-10, "")])

    every = max(1, math.ceil(n / 130))
    tics = ", ".join(f"{gp_str(a['id'])} {i + 1}" for i, a in enumerate(arts) if i % every == 0)
    objects = []
    for k, s in enumerate(d["sections"]):
        pos = [i + 1 for i, a in enumerate(arts) if a["section"] == s["number"]]
        if not pos:
            continue
        x1, x2 = min(pos) - 0.5, max(pos) + 0.5
        if k % 2 == 0:
            objects.append(f"set object rect from {x1}, graph 0 to {x2}, graph 1 "
                           f"fc rgb \"#f3f4f6\" fs solid 1.0 noborder behind")
        objects.append(f"set label {gp_str(s['roman'])} at {(x1 + x2) / 2}, graph 1.035 "
                       f"center font \",10\" tc rgb \"#444444\"")
    plots = []
    for idx, (s, _) in enumerate(blocks):
        title = f"{s['roman']}  {short(shown.get(s['number'], s['title']), 34)}"
        plots.append(f"'articles.tsv' index {idx} using 1:2 with boxes "
                     f"lc rgb \"{section_colour(s['number'])}\" title {gp_str(title)}")
    if repealed:
        plots.append("'repealed.tsv' using 1:(0) with points pt 2 ps 0.9 lc rgb \"#888888\" "
                     f"title {gp_str(m.text('chart.articles.repealed'))}")
    peak = max([a["proposals"] for a in arts] + [0])
    key_rows = math.ceil((len(blocks) + (1 if repealed else 0)) / 3)
    script = template("articles.gp").substitute(
        output=gp_str(os.path.join(out, "articles.png")),
        height=470 + 22 * key_rows,
        title=gp_str(m.text("chart.articles.title", slug=d["slug"], date=d["day"].isoformat())),
        ylabel=gp_str(m.text("chart.articles.ylabel")),
        xlabel=gp_str(m.text("chart.articles.xlabel")),
        xmin=0.3, xmax=n + 0.7,
        ymax=max(1, math.ceil(peak * 1.1)),
        ystep=nice_step(max(1, math.ceil(peak * 1.1))),
        xtics=tics,
        objects="\n".join(objects),
        plot=", \\\n     ".join(plots),
    )
    run_gnuplot(script, work, "articles")


def chart_coverage_map(out, work, r, m):
    d = r["doc"]
    arts = d["articles"]
    cols = 15 if len(arts) <= 150 else 20
    cells, zero, rep, row_labels = [], [], [], []
    row = 0
    for s in d["sections"]:
        in_s = [a for a in arts if a["section"] == s["number"]]
        if not in_s:
            continue
        row_labels.append((row, s["roman"], section_colour(s["number"])))
        for i, a in enumerate(in_s):
            x, y = i % cols, -(row + i // cols)
            count = a["proposals"]
            if a["repealed"]:
                rep.append((x, y, a["id"]))
            elif count == 0:
                zero.append((x, y, a["id"]))
            else:
                cells.append((x, y, count, a["id"]))
        row += math.ceil(len(in_s) / cols)
    rows = max(row, 1)
    peak = max([c[2] for c in cells] + [2])
    # The colour scale is logarithmic (a few articles draw most proposals); the text colour
    # follows the fill: dark on light cells, white on dark ones.
    cell_rows = [(x, y, c, label, 0xffffff if math.log(c) / math.log(peak) > 0.55 else 0x1f2d3d)
                 for x, y, c, label in cells]
    write_tsv(os.path.join(work, "map-touched.tsv"), cell_rows or [(-99, -99, 0, "", 0)])
    write_tsv(os.path.join(work, "map-zero.tsv"), zero or [(-99, -99, "")])
    write_tsv(os.path.join(work, "map-repealed.tsv"), rep or [(-99, -99, "")])
    labels = "\n".join(
        f"set label {gp_str(roman)} at -0.75, {-rw} right font \",11\" tc rgb \"#3b4654\"\n"
        f"set object rect from -0.66, {-rw - 0.3} to -0.56, {-rw + 0.3} "
        f"fc rgb \"{colour}\" fs solid 1.0 noborder front"
        for rw, roman, colour in row_labels)
    cell_px = 62
    script = template("coverage-map.gp").substitute(
        output=gp_str(os.path.join(out, "coverage-map.png")),
        width=int(cols * cell_px + 230),
        height=int(rows * cell_px + 150),
        title=gp_str(m.text("chart.map.title", slug=d["slug"], date=d["day"].isoformat())),
        cblabel=gp_str(m.text("chart.map.cblabel")),
        xmin=-1.9, xmax=cols - 0.5,
        ymin=-(rows - 1) - 0.5, ymax=0.5,
        cbmax=peak,
        cbtics=log_tics(peak),
        labels=labels,
    )
    run_gnuplot(script, work, "coverage-map")
