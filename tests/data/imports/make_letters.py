#!/usr/bin/env python3
"""Writes letters.csv, letters.jsonl and letters.xlsx next to this script: the same six letters
as a portal would export them, for the import tests (tests/e2e/import_test.cpp).

The CSV is written as a spreadsheet program writes it (UTF-8 with a byte order mark, CRLF, a
quoted newline, doubled quotes, a cell that looks like a formula); the XLSX keeps its texts in
a shared strings table and the reception time in a date cell. Standard library only; the
output is the same on every run. Run: python3 tests/data/imports/make_letters.py
"""

import csv
import datetime as dt
import io
import json
import pathlib
from xml.sax.saxutils import escape

import make_fixtures as x

HERE = pathlib.Path(__file__).resolve().parent

COLUMNS = ["external_ref", "received_at", "submitter_type", "submitter_name", "submitter_region",
           "submitter_identifier", "channel", "language", "kind", "articles", "text",
           "proposed_text"]

# received_at as UTC; every row has one so that the three files store the same proposals.
LETTERS = [
    {"external_ref": "ЖТ-2026-000101", "received_at": dt.datetime(2026, 2, 2, 4, 30),
     "submitter_type": "citizen", "submitter_region": "Алматы", "channel": "e-otinish",
     "language": "kk", "kind": "amend", "articles": "41; 42",
     "text": "Президенттің өкілеттік мерзімін қысқарту керек.\nБір рет қана сайлансын.",
     "submitter_identifier": "880101300123"},
    {"external_ref": "ЖТ-2026-000102", "received_at": dt.datetime(2026, 2, 2, 5, 0),
     "submitter_type": "party", "submitter_name": "Партия \"Жаңа жол\"", "channel": "e-otinish",
     "language": "ru", "kind": "comment", "articles": "",
     "text": "Предлагаем вернуть двухпалатный парламент, \"как было\"."},
    {"external_ref": "E-44", "received_at": dt.datetime(2026, 2, 3, 9, 15),
     "submitter_type": "citizen", "channel": "egov", "language": "en", "kind": "add",
     "articles": "83-1/2", "text": "=SUM(A1) is how my letter begins; please keep it.",
     "proposed_text": "The Commissioner reports to the people every year."},
    {"external_ref": "E-45", "received_at": dt.datetime(2026, 2, 3, 12, 0),
     "submitter_type": "organization", "submitter_name": "Adilet NGO", "submitter_region": "Astana",
     "channel": "egov", "language": "en", "kind": "comment", "articles": "33;  1 ",
     "text": "Two articles, with spaces around them."},
    {"external_ref": "П-7", "received_at": dt.datetime(2026, 2, 4, 0, 0),
     "submitter_type": "citizen", "channel": "mail", "language": "ru", "kind": "repeal",
     "articles": "", "text": "Письмо без статьи: пусть комиссия решит сама."},
    {"external_ref": "H-1", "received_at": dt.datetime(2026, 2, 5, 18, 45, 30),
     "submitter_type": "expert", "submitter_name": "Dr. A. Nurlanova", "channel": "hearing",
     "language": "kk", "kind": "amend", "articles": "6",
     "text": "Жер — халықтың меншігі; сатуға тыйым салынсын."},
]


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def cells(letter):
    return [rfc3339(letter[c]) if c == "received_at" else letter.get(c, "") for c in COLUMNS]


def write_csv():
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for letter in LETTERS:
        writer.writerow(cells(letter))
    (HERE / "letters.csv").write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def write_jsonl():
    lines = []
    for letter in LETTERS:
        body = {"external_ref": letter["external_ref"],
                "received_at": rfc3339(letter["received_at"]),
                "submitter": {"type": letter["submitter_type"]},
                "channel": letter["channel"], "language": letter["language"],
                "kind": letter["kind"], "text": letter["text"]}
        for key in ("name", "region", "identifier"):
            if letter.get("submitter_" + key):
                body["submitter"][key] = letter["submitter_" + key]
        refs = []
        for part in letter["articles"].split(";"):
            part = part.strip()
            if not part:
                continue
            if "/" in part:
                article, paragraph = part.split("/")
                refs.append({"article": article, "paragraph": paragraph})
            else:
                refs.append(part)
        if refs:
            body["articles"] = refs
        if letter.get("proposed_text"):
            body["proposed_text"] = letter["proposed_text"]
        lines.append(json.dumps(body, ensure_ascii=False))
    (HERE / "letters.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def serial(t):
    """The Excel serial date (1900 system) of a UTC time after 1900-03-01."""
    return (t - dt.datetime(1899, 12, 30)).total_seconds() / 86400


def write_xlsx():
    shared = []
    index = {}

    def s(text):
        if text not in index:
            index[text] = len(shared)
            shared.append(text)
        return index[text]

    def column(n):
        return chr(ord("A") + n)

    rows = [x.row(1, [x.cell(f"{column(i)}1", s(c), t="s") for i, c in enumerate(COLUMNS)])]
    for r, letter in enumerate(LETTERS, start=2):
        row_cells = []
        for i, c in enumerate(COLUMNS):
            ref = f"{column(i)}{r}"
            if c == "received_at":
                row_cells.append(x.cell(ref, repr(serial(letter[c])), s=1))
            elif letter.get(c):
                row_cells.append(x.cell(ref, s(letter[c]), t="s"))
        rows.append(x.row(r, row_cells))
    sst = x.XML + (
        f'<sst xmlns="{x.MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in shared)
        + "</sst>"
    )
    styles = x.XML + (
        f'<styleSheet xmlns="{x.MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )
    parts = x.one_sheet_workbook(x.sheet(rows))
    parts[3] = ("xl/_rels/workbook.xml.rels", x.rels([
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId2", "sharedStrings", "sharedStrings.xml"),
        ("rId3", "styles", "styles.xml")]))
    parts += [("xl/sharedStrings.xml", sst), ("xl/styles.xml", styles)]
    x.write("letters.xlsx", parts)


if __name__ == "__main__":
    write_csv()
    write_jsonl()
    write_xlsx()
