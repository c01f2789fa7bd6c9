# The words of the report pages and charts: one catalogue per language in
# scripts/report/messages/LANG.json, the same keys in each. A value is a text with {name}
# placeholders (str.format), or a list of plural forms chosen by a count. Page texts may hold
# markup (they are ours); the values put into them are escaped as every other value of the page.

import html
import json
import os

from .errors import EXIT_OTHER, EXIT_USAGE, Failure

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "en"
DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "messages")

# How many plural forms each language has, and which one a count takes.
PLURAL_FORMS = {"en": 2, "ru": 3, "kk": 1}


def plural_form(language, n):
    n = abs(int(n))
    if language == "en":
        return 0 if n == 1 else 1
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0


def check_language(value, where):
    """The language `value` names, or a usage Failure saying where it came from."""
    if value in LANGUAGES:
        return value
    raise Failure(EXIT_USAGE, f"bad language {value!r}{where}: expected kk, ru or en")


def load(language):
    path = os.path.join(DIR, f"{language}.json")
    try:
        with open(path, encoding="utf-8") as f:
            catalogue = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(EXIT_OTHER, f"cannot read the messages {path}: {e}") from None
    return catalogue


class Messages:
    """The catalogue of one language: m.text(key, count, **values) for plain text (charts),
    m.html(key, count, **values) for the pages; `count` picks the plural form of a message
    that has several."""

    def __init__(self, language):
        self.language = language
        self.catalogue = load(language)

    def raw(self, key, count=None):
        try:
            value = self.catalogue[key]
        except KeyError:
            raise Failure(EXIT_OTHER, f"messages {self.language}.json: no {key!r}") from None
        if isinstance(value, list):
            if count is None:
                raise Failure(EXIT_OTHER, f"messages {self.language}.json: {key!r} needs a count")
            value = value[min(plural_form(self.language, count), len(value) - 1)]
        return value

    def text(self, key, _count=None, **values):
        return self.raw(key, _count).format(**values)

    def html(self, key, _count=None, _escape=None, **values):
        """The message as markup: its own text as written, each value escaped by `_escape`
        (html.escape unless given) unless it is markup already."""
        esc = _escape or (lambda v: html.escape(str(v), quote=True))
        safe = {k: (v.__html__() if hasattr(v, "__html__") else esc(v)) for k, v in values.items()}
        return self.raw(key, _count).format(**safe)
