# The document's words in the report's language: its title, section titles and article texts.
# The database holds each document in its reference language only (documents.language: the
# text whose chars weigh content shares); the other languages are in the document files the
# server loads, config documents.dir, every file that documents.slugs maps to a slug being that
# document in the file's `language`. A document without a file in the language is shown in the
# database's language, and the page says so.

import json
import os

from .errors import EXIT_OTHER, Failure


def documents_dir(cfg, config_path):
    """The folder of the document files: documents.dir, relative to the config's folder."""
    docs = cfg.get("documents") if isinstance(cfg.get("documents"), dict) else {}
    d = docs.get("dir") if isinstance(docs.get("dir"), str) else "documents"
    return os.path.join(os.path.dirname(os.path.abspath(config_path)), d)


def slug_of_file(cfg, name):
    docs = cfg.get("documents") if isinstance(cfg.get("documents"), dict) else {}
    slugs = docs.get("slugs") if isinstance(docs.get("slugs"), dict) else {}
    return slugs.get(name, os.path.splitext(name)[0])


def read_text(folder, cfg, slug, language):
    """The text of document `slug` in `language` from its file in `folder`: {"title",
    "version_date", "sections": {number: title}, "articles": {id: text}}, or None when no file
    holds it (or the folder is missing)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    for name in names:
        if not name.endswith(".json") or name.endswith(".vocabulary.json"):
            continue
        if slug_of_file(cfg, name) != slug:
            continue
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            raise Failure(EXIT_OTHER, f"cannot read document file {path}: {e}") from None
        if not isinstance(doc, dict) or doc.get("language") != language:
            continue
        sections, articles = {}, {}
        for s in doc.get("sections") or []:
            if isinstance(s.get("number"), int) and isinstance(s.get("title"), str):
                sections[s["number"]] = s["title"]
            for a in s.get("articles") or []:
                if isinstance(a.get("id"), str) and isinstance(a.get("text"), str):
                    articles[a["id"]] = a["text"]
        return {"title": doc.get("title") if isinstance(doc.get("title"), str) else None,
                "version_date": doc.get("version_date")
                if isinstance(doc.get("version_date"), str) else None,
                "sections": sections, "articles": articles}
    return None


def localize(d, language, folder, cfg):
    """The snapshot `d` (db.read_data) with the words shown in `language`: d["shown"] per
    document slug the pages name (this one and those answering its proposals) with "language"
    (the language shown), "fallback" (True when the document has no text in `language`, so its
    stored language is shown), "title", "version_date" and "sections" ({number: title}); and
    d["titles"] (what the pages name articles by) in those languages. d["title"] and
    d["sections"] stay as stored: the files (sections.csv) do not depend on the language."""
    stored = {d["slug"]: (d["language"], d["title"])}
    for (slug, _), t in sorted(d["titles"].items()):
        stored.setdefault(slug, (t.get("language") or d["language"], t["document_title"]))
    shown, texts = {}, {}
    for slug, (stored_language, stored_title) in sorted(stored.items()):
        text = read_text(folder, cfg, slug, language)
        own = stored_language == language
        use = text if (text is not None and not own) else None
        texts[slug] = use
        sections = ({s["number"]: s["title"] for s in d["sections"]} if slug == d["slug"]
                    else {})
        if use is not None:
            sections.update(use["sections"])
        shown[slug] = {
            "language": language if own or use is not None else stored_language,
            "fallback": not own and use is None,
            "title": (use or {}).get("title") or stored_title,
            "version_date": (text or {}).get("version_date"),
            "sections": sections,
        }
    titles = {}
    for key, t in d["titles"].items():
        use = texts[key[0]]
        t = dict(t, document_title=shown[key[0]]["title"])
        if use is not None:
            t["section_title"] = use["sections"].get(t.get("section_number"), t["section_title"])
            t["text"] = use["articles"].get(key[1], t["text"])[:400]  # as db.read_data reads it
        titles[key] = t
    return dict(d, shown=shown, titles=titles)
