# How figures are written for people: percentages, signed changes, thousands separators and
# shortened titles, the same on the page, in the charts and in the summary line.


def pct(v, digits=1):
    return f"{v * 100:.{digits}f}%"


def signed(n):
    return f"+{n}" if n > 0 else str(n)


def thousands(n):
    return f"{n:,}"


def short(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
