#!/usr/bin/env python3
"""Writes the .xlsx fixtures of tests/unit/imports_test.cpp next to this script.

Standard library only; the output is the same on every run (fixed timestamps), so the committed
files change only when this script does. Run: python3 tests/data/imports/make_fixtures.py
"""

import pathlib
import struct
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
STAMP = (2025, 1, 1, 0, 0, 0)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = REL  # relationship types share the namespace's prefix
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = XML + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)


def root_rels(target="xl/workbook.xml"):
    return XML + (
        f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{TYPE}/officeDocument" Target="{target}"/>'
        "</Relationships>"
    )


def rels(entries):
    body = "".join(
        f'<Relationship Id="{rid}" Type="{TYPE}/{kind}" Target="{target}"/>'
        for rid, kind, target in entries
    )
    return XML + f'<Relationships xmlns="{PKG_REL}">{body}</Relationships>'


def write(name, parts):
    with zipfile.ZipFile(HERE / name, "w") as z:
        for part, text in parts:
            info = zipfile.ZipInfo(part, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


def cell(ref, value=None, t=None, s=None, inner=None):
    attrs = f' r="{ref}"' if ref else ""
    attrs += f' t="{t}"' if t else ""
    attrs += f' s="{s}"' if s is not None else ""
    if inner is None and value is None:
        return f"<c{attrs}/>"
    return f"<c{attrs}>{inner if inner is not None else f'<v>{value}</v>'}</c>"


def sheet(rows, prefix=""):
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return XML + (
        f'<{p}worksheet {ns} xmlns:r="{REL}"><{p}dimension ref="A1:H9"/>'
        f"<{p}sheetData>{''.join(rows)}</{p}sheetData></{p}worksheet>"
    )


def row(r, cells):
    return f'<row r="{r}">{"".join(cells)}</row>' if r else f'<row>{"".join(cells)}</row>'


# --- proposals.xlsx: what Excel writes, the first tab stored as sheet2.xml ---------------------

SHARED = [
    "<t> title </t>",
    "<t>region</t>",
    "<t>submitted</t>",
    "<t>votes</t>",
    "<t>share</t>",
    "<t>active</t>",
    "<t>note</t>",
    # 7: rich text runs, and a phonetic run that is not part of the value
    '<r><t xml:space="preserve">Қазақстан </t></r><r><rPr><b/><sz val="11"/></rPr>'
    "<t>Республикасы</t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh>",
    # 8: CRLF as Excel writes it
    "<t>Первая строка_x000D_\nвторая строка</t>",
    # 9: text that looks like a formula
    "<t>=SUM(A1)</t>",
    "<t>Алматы</t>",
]

SST = XML + (
    f'<sst xmlns="{MAIN}" count="{len(SHARED)}" uniqueCount="{len(SHARED)}">'
    + "".join(f"<si>{s}</si>" for s in SHARED)
    + "</sst>"
)

# cellXfs: 0 General, 1 built-in date (14), 2 custom date and time, 3 tenge amount (a "d" only
# inside quotes), 4 [Red] (a "d" only inside brackets), 5 built-in 0.00. The cellStyleXfs entry
# with a date format must not count.
STYLES = XML + (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="#,##0.00&quot; ₸ d&quot;"/>'
    '<numFmt numFmtId="166" formatCode="[Red]0.0"/>'
    "</numFmts>"
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    "</styleSheet>"
)

WORKBOOK = XML + (
    f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/>'
    "<sheets>"
    '<sheet name="Ұсыныстар" sheetId="1" r:id="rId2"/>'
    '<sheet name="Ignored" sheetId="2" r:id="rId1"/>'
    "</sheets></workbook>"
)

WORKBOOK_RELS = rels(
    [
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId2", "worksheet", "worksheets/sheet2.xml"),
        ("rId3", "styles", "styles.xml"),
        ("rId4", "sharedStrings", "sharedStrings.xml"),
    ]
)

FIRST = sheet(
    [
        row(1, [cell(f"{c}1", i, t="s") for i, c in enumerate("ABCDEFG")]),
        # B2 missing, columns not contiguous
        row(
            2,
            [
                cell("A2", 7, t="s"),
                cell("C2", "45658.5", s=1),
                cell("D2", "42"),
                cell("E2", "0.5", s=5),
                cell("F2", "1", t="b"),
                cell("G2", t="inlineStr", inner="<is><t>инлайн мәтін</t></is>"),
            ],
        ),
        # row 3 absent; row 4 holds only a formatted empty cell: both are blank
        row(4, [cell("A4", s=3)]),
        row(
            5,
            [
                cell("A5", 8, t="s"),
                cell("B5", t="str", inner='<f>UPPER("x")</f><v>X</v>'),
                cell("C5", "45658.75", s=2),
                cell("D5", "1.5E+20"),
                cell("E5", "0.10000000000000001"),
                cell("F5", "0", t="b"),
                cell("G5", 9, t="s"),
            ],
        ),
        # cells without references follow one another; number formats that are not dates
        row(
            6,
            [
                cell(None, 10, t="s"),
                cell(None, t="inlineStr", inner="<is><r><t>rich </t></r><r><t>inline</t></r></is>"),
                cell("D6", "1500", s=3),
                cell("E6", "-2.25", s=4),
                cell("F6", "#N/A", t="e"),
            ],
        ),
        row(7, [cell("A7", 10, t="s"), cell("H7", "beyond", t="str")]),
        row(8, [cell("A8", 999, t="s")]),
        row(9, [cell("A9", 1, t="s"), cell("H9", s=1)]),
    ]
)

IGNORED = sheet([row(1, [cell("A1", "ignored", t="str")]), row(2, [cell("A2", "1")])])

PROPOSALS = [
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", root_rels()),
    ("xl/workbook.xml", WORKBOOK),
    ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ("xl/styles.xml", STYLES),
    ("xl/sharedStrings.xml", SST),
    ("xl/worksheets/sheet1.xml", IGNORED),
    ("xl/worksheets/sheet2.xml", FIRST),
]

# --- prefixed.xlsx: another writer's habits ----------------------------------------------------
# Prefixed elements, absolute targets, the 1904 date system, a chart sheet as the first tab, a
# header below blank rows, rows without references, no shared strings.

PREFIXED_WORKBOOK = XML + (
    f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:workbookPr date1904="1"/>'
    "<x:sheets>"
    '<x:sheet name="Chart" sheetId="1" r:id="rId7"/>'
    '<x:sheet name="Data" sheetId="2" r:id="rId8"/>'
    "</x:sheets></x:workbook>"
)
PREFIXED_RELS = rels(
    [
        ("rId7", "chartsheet", "/xl/chartsheets/sheet1.xml"),
        ("rId8", "worksheet", "/xl/worksheets/data.xml"),
        ("rId9", "styles", "/xl/styles.xml"),
    ]
)
PREFIXED_STYLES = XML + (
    f'<x:styleSheet xmlns:x="{MAIN}"><x:cellXfs count="2"><x:xf numFmtId="0"/>'
    '<x:xf numFmtId="22"/></x:cellXfs></x:styleSheet>'
)


def xrow(cells, r=None):
    attrs = f' r="{r}"' if r else ""
    return f"<x:row{attrs}>{''.join(cells)}</x:row>"


PREFIXED_SHEET = sheet(
    [
        xrow([], r=1),
        xrow(['<x:c r="B2" s="1"/>'], r=2),
        xrow(
            [
                '<x:c r="A3" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c>',
                '<x:c r="B3" t="inlineStr"><x:is><x:t>when</x:t></x:is></x:c>',
            ],
            r=3,
        ),
        xrow(
            [
                '<x:c t="inlineStr"><x:is><x:t>Айгүл</x:t></x:is></x:c>',
                '<x:c s="1"><x:v>44196.5</x:v></x:c>',
            ]
        ),
    ],
    prefix="x",
)

PREFIXED = [
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", root_rels("/xl/workbook.xml")),
    ("xl/workbook.xml", PREFIXED_WORKBOOK),
    ("xl/_rels/workbook.xml.rels", PREFIXED_RELS),
    ("xl/styles.xml", PREFIXED_STYLES),
    ("xl/chartsheets/sheet1.xml", XML + f'<chartsheet xmlns="{MAIN}"/>'),
    ("xl/worksheets/data.xml", PREFIXED_SHEET),
]

# --- workbooks that are refused or empty -------------------------------------------------------


def one_sheet_workbook(sheet_xml):
    return [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", root_rels()),
        (
            "xl/workbook.xml",
            XML
            + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        ("xl/_rels/workbook.xml.rels", rels([("rId1", "worksheet", "worksheets/sheet1.xml")])),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ]


NO_WORKSHEET = [
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", root_rels()),
    ("xl/workbook.xml", XML + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets/></workbook>'),
    ("xl/_rels/workbook.xml.rels", rels([])),
]

EMPTY_SHEET = one_sheet_workbook(sheet([row(1, [cell("A1", s=0)])]))
BROKEN_SHEET = one_sheet_workbook(
    sheet([row(1, [cell("A1", "title", t="str")]), row(2, [cell("A2", "x", t="str")])]).replace(
        "</sheetData>", "</sheetDat>"
    )
)


def set_encryption_flag(path):
    """Marks every entry as encrypted (general purpose bit 0) in both headers, as a zip tool
    with a password would; the data itself stays as it is, which is enough to be refused."""
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            (flags,) = struct.unpack_from("<H", data, at + flag_offset)
            struct.pack_into("<H", data, at + flag_offset, flags | 1)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def compound_file():
    """The start of an OLE compound file as Excel writes a password-protected workbook: the
    signature, and a directory sector naming the EncryptedPackage stream (UTF-16LE)."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHH", header, 0x18, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", header, 0x1E, 9)
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", "EncryptionInfo", "EncryptedPackage"]):
        encoded = name.encode("utf-16-le")
        directory[i * 128 : i * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, i * 128 + 64, len(encoded) + 2)
    return bytes(header + directory)


def main():
    write("proposals.xlsx", PROPOSALS)
    write("prefixed.xlsx", PREFIXED)
    write("no-worksheet.xlsx", NO_WORKSHEET)
    write("empty-sheet.xlsx", EMPTY_SHEET)
    write("broken-sheet.xlsx", BROKEN_SHEET)
    write("zip-encrypted.xlsx", PROPOSALS)
    set_encryption_flag(HERE / "zip-encrypted.xlsx")
    (HERE / "encrypted.xlsx").write_bytes(compound_file())
    (HERE / "not-a-zip.xlsx").write_bytes("title,region\r\nҰсыныс,Алматы\r\n".encode("utf-8"))


if __name__ == "__main__":
    main()
