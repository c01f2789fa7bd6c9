#!/usr/bin/env python3
"""Writes a synthetic public consultation as JSON Lines for `usynys import`.

    letters.py N --articles FILE --document SLUG --start YYYY-MM-DD --days D [--seed S]
               [--untagged-share F] [--campaign-share F] [--truth FILE] [--ref-prefix P]
               [--now EPOCH] > letters.jsonl

FILE has one article in force per line: its id, a space, its paragraph labels separated by
commas (may be empty). The same arguments give the same bytes. Rows follow fixed shares:
submitter types, channels, languages, kinds and regions as a consultation of this size sees
them; days with a launch peak, a final rush and quieter weekends; hours with a daily rhythm
(Kazakhstan time, UTC+5); article popularity Zipf-like; 1 to 3 references, about one in seven
naming a paragraph; a share of letters from portals, post and hearings naming no article.
Texts are 2 to 8 sentences (about 250 to 1000 characters) in Kazakh, Russian or English, some
with a proposed wording. A fifth of submitters give an IIN, some of them repeatedly. Rows come
in the order received, as a portal lists them, with references PREFIX000000001, ... (PREFIX
default seed<S>-). Times never pass --now (default: now), as the importer refuses future
times.

--campaign-share F (default 0, which gives the letters above): a share F of the letters are
copies of 36 form letters (12 each in Kazakh, Russian and English, f00 to f35, fixed by the
seed), the rest letters of their own. Texts then come from a sentence grammar
(letter_grammar.py): a letter of its own has 3 to 8 of its sentences, mostly between an opening
and a closing line, and two such letters are rarely alike (word 3-shingle Jaccard similarity
about 0.01 on average, seldom 0.3 even for the nearest of many); form letters are further apart
(under 0.15 each pair) and share no sentence. A form letter has 5 to 9
sentences (400 to 1000 characters), a kind, maybe a proposed wording, and names 1 or 2 articles,
which its copies name (unless the untagged share drops them); some form letters name the same
article as another. Campaign sizes are Zipf-like, and a form letter's copies arrive in a burst
of a few days. A copy is edited as people and bots edit: a fifth are exact, the others may get
a greeting, a signature, a sentence more or one less (never fewer than 4), synonyms for 1 to 3
words, two sentences swapped or 1 to 3 typos; most stay at Jaccard 0.6 or more with their form
letter. --truth FILE writes `external_ref,campaign` per letter (a header first): the form
letter's id for copies, empty for the others.
"""

import argparse
import datetime
import json
import math
import random
import re
import sys
import time

import letter_grammar as grammar

KK_OPEN = ["Құрметті Конституциялық комиссия мүшелері!",
           "Азамат ретінде мына ұсынысты енгізгім келеді.",
           "Осы бапқа қатысты өз пікірімді білдіргім келеді.",
           "Біздің аудан тұрғындарының атынан жазып отырмын.",
           "Жаңа Конституция жобасын оқып шықтым, бір ескертпем бар."]
KK_BODY = ["Бұл норма азаматтардың құқықтары мен бостандықтарын нақтырақ қорғауы тиіс, сондықтан "
           "тұжырымды өзгерту қажет деп санаймын.",
           "Жергілікті өзін-өзі басқару органдарының өкілеттігін кеңейту әр өңірдің дамуына жағдай "
           "жасайды.",
           "Мемлекеттік тіл ретінде қазақ тілінің мәртебесін нығайту үшін нақты кепілдіктер "
           "қарастырылуы керек.",
           "Шаһар мен ауыл арасындағы әлеуметтік теңсіздікті азайту мәселесі де назардан тыс "
           "қалмауы тиіс.",
           "Жастардың білім алуға және еңбек етуге құқығы айқын көрсетілгені дұрыс болар еді.",
           "Қоғамдық бақылау тетіктері ашық әрі түсінікті болуы керек, әйтпесе халықтың сенімі "
           "төмендейді.",
           "Сот төрелігінің тәуелсіздігін қамтамасыз ету үшін судьяларды тағайындау тәртібін қайта "
           "қарау қажет.",
           "Табиғи ресурстар халыққа тиесілі екені және олардан түсетін кіріс әділ бөлінуі тиіс "
           "екені жазылсын.",
           "Қаһарман ата-бабаларымыздың мұрасын сақтау әр ұрпақтың борышы, бұл ой кіріспеде "
           "көрініс тапсын.",
           "Гауһар тастай бағалы табиғатымызды қорғау мемлекеттің басты міндеттерінің бірі болуы "
           "тиіс."]
KK_CLOSE = ["Ұсынысымды қарастыруларыңызды сұраймын.", "Рақмет, жауап күтемін.",
            "Құрметпен, Қазақстан азаматы.",
            "Бұл өзгеріс бүкіл қоғамға пайдалы болады деп үміттенемін."]
RU_OPEN = ["Уважаемые члены Конституционной комиссии!",
           "Предлагаю внести изменения в данную статью.",
           "Хочу высказать своё мнение по поводу этой нормы.",
           "Пишу от имени жителей нашего района.",
           "Ознакомился с проектом и хотел бы сделать замечание."]
RU_BODY = ["Эта норма должна более чётко защищать права и свободы граждан, поэтому формулировку "
           "следует уточнить.",
           "Расширение полномочий органов местного самоуправления создаст условия для развития "
           "каждого региона.",
           "Необходимо закрепить гарантии независимости судей и прозрачный порядок их назначения.",
           "Природные ресурсы принадлежат народу, и доходы от них должны распределяться "
           "справедливо.",
           "Следует предусмотреть право граждан на доступ к информации о деятельности "
           "государственных органов.",
           "Механизмы общественного контроля должны быть открытыми и понятными, иначе доверие "
           "людей снижается.",
           "Прошу обратить внимание на социальное неравенство между городом и селом.",
           "Право молодёжи на образование и достойный труд должно быть отражено явно и без "
           "оговорок.",
           "Срок полномочий и порядок отчёта выборных лиц перед избирателями нужно прописать "
           "подробнее.",
           "Защита окружающей среды должна стать прямой обязанностью государства, а не только "
           "декларацией."]
RU_CLOSE = ["Прошу рассмотреть моё предложение.", "Спасибо, жду ответа.",
            "С уважением, гражданин Казахстана.",
            "Надеюсь, это изменение пойдёт на пользу всему обществу."]
EN_OPEN = ["Dear members of the Constitutional Commission,",
           "I would like to propose a change to this article.",
           "Please consider the following comment on this provision.",
           "I am writing on behalf of the residents of our district."]
EN_BODY = ["This provision should protect the rights and freedoms of citizens more clearly, so "
           "the wording needs to be refined.",
           "Broader powers for local self-government would help every region develop on its own "
           "terms.",
           "The independence of judges and a transparent procedure for their appointment must be "
           "guaranteed.",
           "Natural resources belong to the people and the income from them should be shared "
           "fairly.",
           "Citizens should have an explicit right of access to information about the work of "
           "state bodies.",
           "Public oversight must be open and understandable, otherwise trust in institutions "
           "declines.",
           "The gap in living standards between cities and villages deserves explicit attention.",
           "The right of young people to education and decent work should be stated without "
           "reservations."]
EN_CLOSE = ["Thank you for considering this proposal.", "I look forward to your answer.",
            "Respectfully, a citizen of Kazakhstan."]
LEXICON = {
    "kk": (KK_OPEN, KK_BODY, KK_CLOSE, "Мынадай редакцияда жазылсын: «", "»"),
    "ru": (RU_OPEN, RU_BODY, RU_CLOSE, "Изложить в следующей редакции: «", "»"),
    "en": (EN_OPEN, EN_BODY, EN_CLOSE, "Proposed wording: “", "”"),
}
NAMES = {
    "citizen": ["Aigerim S.", "Nurlan K.", "Айгерим С.", "Ерлан Т.", "Dana M.", "Әсел Б.",
                "Бауыржан Ж.", "Olga P.", "Сергей И.", "Мадина Қ.", "Гүлнұр Ө.", "Timur A."],
    "organization": ["Steppe Law Society", "Union of Farmers of the Steppe",
                     "Almaty Civic Initiatives Centre", "Green Steppe Ecological Society",
                     "Association of Rural Teachers", "Qoğam Legal Clinic",
                     "Қазақ тілі жанашырлары қоғамы", "Ассоциация молодых юристов",
                     "Youth Council of Karaganda", "Human Rights Bureau of the North"],
    "party": ["Party of Steppe Progress", "Жаңа Ұрпақ партиясы", "Партия гражданского выбора",
              "Green Future Party", "Party of Regions and Villages"],
    "expert": ["Dr. A. Nurlanova", "Prof. B. Seitkali", "Д. Ахметов, к.ю.н.", "Ж. Сәрсенбаева",
               "M. Ospanov, LL.M.", "Dr. K. Zhakupova", "Профессор Р. Өмірзақов"],
    "state_body": ["Ministry of Justice", "Akimat of Almaty",
                   "Office of the Human Rights Commissioner", "Maslikhat of Pavlodar Region",
                   "Ministry of Culture and Information", "Akimat of Turkistan Region",
                   "Central Election Commission"],
}
REGIONS = [("Almaty", 12), ("Astana", 8), ("Shymkent", 6), ("Abai", 3), ("Akmola", 4),
           ("Aktobe", 5), ("Almaty Region", 8), ("Atyrau", 4), ("East Kazakhstan", 4),
           ("Jambyl", 6), ("Jetisu", 4), ("Karaganda", 6), ("Kostanay", 4), ("Kyzylorda", 4),
           ("Mangystau", 4), ("Pavlodar", 4), ("North Kazakhstan", 3), ("Turkistan", 10),
           ("Ulytau", 1), ("West Kazakhstan", 4)]
# (value, cumulative share)
SUBMITTER_TYPES = [("citizen", 0.80), ("organization", 0.89), ("expert", 0.94),
                   ("state_body", 0.97), ("party", 1.0)]
CHANNELS = [("web", 0.55), ("e-otinish", 0.75), ("egov", 0.87), ("email", 0.94),
            ("mail", 0.97), ("hearing", 1.0)]
LANGUAGES = [("kk", 0.44), ("ru", 0.90), ("en", 0.97), (None, 1.0)]
KINDS = [("comment", 0.45), ("amend", 0.80), ("add", 0.92), ("repeal", 1.0)]
HOUR_WEIGHTS = [10, 5, 3, 2, 2, 4, 10, 20, 40, 60, 70, 70, 60, 50, 50, 50, 50, 50, 60, 70, 70,
                60, 40, 20]
LOCAL_OFFSET_S = 5 * 3600


def pick(table, u):
    for value, upto in table:
        if u < upto:
            return value
    return table[-1][0]


def iin(rng):
    """A 12-digit number whose check digit is right (Kazakhstan IIN/BIN)."""
    while True:
        d = [rng.randrange(10) for _ in range(11)]
        check = sum(x * w for x, w in zip(d, range(1, 12))) % 11
        if check == 10:
            check = sum(x * w for x, w in zip(d, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])) % 11
        if check != 10:
            return "".join(map(str, d)) + str(check)


def slots(weights):
    out = []
    for value, weight in weights:
        out.extend([value] * max(1, weight))
    return out


# --- Campaigns (--campaign-share) ---------------------------------------------------------------
FORMS_PER_LANGUAGE = 12
FORM_LANGUAGES = ("kk", "ru", "en")
# Pairs of form letters (indices) whose first article is the same: distinct letters on one
# article, in one language or in two.
SAME_ARTICLE = [(0, 1), (2, 3), (12, 13), (14, 15), (24, 25), (4, 16), (5, 29)]
# How copies are edited: the share sent exactly as written (bots, copy and paste); for the
# others, the chance of each edit.
EXACT_COPY = 0.2
ADD_GREETING, ADD_SIGNATURE, ADD_SENTENCE, DROP_SENTENCE = 0.3, 0.35, 0.15, 0.15
SWAP_SYNONYMS, REORDER, TYPOS = 0.3, 0.1, 0.25
WORD = re.compile(r"[^\W\d_]+")
# Opening and closing lines of letters made from the grammar.
OPENS = {lang: LEXICON[lang][0] + grammar.MORE_OPENS[lang] for lang in FORM_LANGUAGES}
CLOSES = {lang: LEXICON[lang][2] + grammar.MORE_CLOSES[lang] for lang in FORM_LANGUAGES}


def sentence(template, r):
    """One sentence of a template: its fixed parts and one option of each slot."""
    return "".join([p if p.__class__ is str else p[int(r() * len(p))] for p in template])


def body_sentences(templates, count, r):
    """Sentences of a letter: no option of a slot twice in it (drawn again, up to twice)."""
    used = set()
    out = []
    for _ in range(count):
        parts = []
        for p in templates[int(r() * len(templates))]:
            if p.__class__ is not str:
                o = p[int(r() * len(p))]
                if o in used:
                    o = p[int(r() * len(p))]
                    if o in used:
                        o = p[int(r() * len(p))]
                used.add(o)
                p = o
            parts.append(p)
        out.append("".join(parts))
    return out


def shingles(text):
    """Word 3-shingles as the near-duplicate signatures count them (lower case, runs of
    letters)."""
    w = WORD.findall(text.lower())
    return set(zip(w, w[1:], w[2:])) if len(w) >= 3 else {tuple(w)} if w else set()


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def grammar_text(lang, r, body_count):
    """A letter of its own: an opening line (mostly), sentences of the grammar, a closing line
    (mostly)."""
    opens, closes = OPENS[lang], CLOSES[lang]
    out = [opens[int(r() * len(opens))]] if r() < 0.85 else []
    out += body_sentences(grammar.TEMPLATES[lang], body_count, r)
    if r() < 0.85:
        out.append(closes[int(r() * len(closes))])
    return out


def wording(lang, r):
    _, _, _, pt_open, pt_close = LEXICON[lang]
    return pt_open + sentence(grammar.WORDING[lang], r) + pt_close


def form_letters(seed, order, art_slots):
    """The form letters of a seed: id, language, opening line or None, body sentences, closing
    line or None, kind, proposed wording or None, references, and where synonyms fit."""
    frng = random.Random(f"{seed}/forms")
    r = frng.random
    forms = []
    for lang in FORM_LANGUAGES:
        opens, closes = OPENS[lang], CLOSES[lang]
        templates = grammar.TEMPLATES[lang]
        kept = []
        while len(kept) < FORMS_PER_LANGUAGE:
            first = opens[int(r() * len(opens))] if r() < 0.75 else None
            body = body_sentences(templates, 4 + int(r() * 5), r)
            last = closes[int(r() * len(closes))] if r() < 0.75 else None
            kind = pick(KINDS, r())
            proposed = wording(lang, r) if kind in ("amend", "add") and r() < 0.6 else None
            text = " ".join(x for x in [first] + body + [last] if x)
            count = len(body) + (first is not None) + (last is not None)
            sh = shingles(text + "\n" + (proposed or ""))
            if not 5 <= count <= 9 or not 400 <= len(text) <= 1000:
                continue
            if any(len(set(body) & set(k["body"])) or jaccard(sh, k["shingles"]) >= 0.15
                   for k in kept):
                continue
            kept.append({"lang": lang, "first": first, "body": body, "last": last, "kind": kind,
                         "proposed": proposed, "text": text, "shingles": sh})
        forms += kept
    syn = grammar.SYNONYMS
    for k, f in enumerate(forms):
        f["id"] = f"f{k:02d}"
        table = syn[f["lang"]]
        f["spots"] = [(si, m.start(), m.end(), table[m.group().lower()])
                      for si, s in enumerate(f["body"]) for m in WORD.finditer(s)
                      if m.group().lower() in table]
        refs = []
        for _ in range(1 if r() < 0.7 else 2):
            article_id, labels = order[art_slots[int(r() * len(art_slots))]]
            if any(x["article"] == article_id for x in refs):
                continue
            u = r()
            if u < 0.15 and labels:
                refs.append({"article": article_id,
                             "paragraph": labels[int(u / 0.15 * len(labels))]})
            else:
                refs.append({"article": article_id})
        f["refs"] = refs
    for a, b in SAME_ARTICLE:
        refs = forms[b]["refs"]
        refs[0] = dict(forms[a]["refs"][0])
        if len(refs) == 2 and refs[1]["article"] == refs[0]["article"]:
            del refs[1]
    return forms


def typo(word, r):
    """The word with a letter dropped, doubled or swapped with the next, inside it."""
    p = 1 + int(r() * (len(word) - 2))
    u = r()
    if u < 0.35:
        return word[:p] + word[p + 1:]
    if u < 0.65:
        return word[:p] + word[p] + word[p:]
    return word[:p] + word[p + 1] + word[p] + word[p + 2:]


def copy_text(form, r):
    """A copy of a form letter as somebody sent it."""
    if r() < EXACT_COPY:
        return form["text"]
    lang = form["lang"]
    body = list(form["body"])
    if r() < SWAP_SYNONYMS and form["spots"]:
        spots = form["spots"]
        chosen = sorted({int(r() * len(spots)) for _ in range(1 + int(r() * 3))}, reverse=True)
        for c in chosen:  # right to left: the positions of the others stay right
            si, start, end, options = spots[c]
            s = body[si]
            new = options[int(r() * len(options))]
            if s[start].isupper():
                new = new[0].upper() + new[1:]
            body[si] = s[:start] + new + s[end:]
    if r() < TYPOS:
        for _ in range(1 + int(r() * 3)):
            si = int(r() * len(body))
            words = [m for m in WORD.finditer(body[si]) if m.end() - m.start() >= 4]
            if words:
                m = words[int(r() * len(words))]
                s = body[si]
                body[si] = s[:m.start()] + typo(m.group(), r) + s[m.end():]
    first, last = form["first"], form["last"]
    if r() < DROP_SENTENCE and len(body) + (first is not None) + (last is not None) > 4:
        del body[int(r() * len(body))]
    if r() < ADD_SENTENCE:
        templates = grammar.TEMPLATES[lang]
        body.insert(int(r() * (len(body) + 1)), sentence(templates[int(r() * len(templates))], r))
    if r() < REORDER and len(body) >= 2:
        i = int(r() * len(body))
        j = int(r() * (len(body) - 1))
        j += j >= i
        body[i], body[j] = body[j], body[i]
    out = [first] if first else []
    if r() < ADD_GREETING:
        greetings = grammar.GREETINGS[lang]
        out.insert(0, greetings[int(r() * len(greetings))])
    out += body
    if last:
        out.append(last)
    if r() < ADD_SIGNATURE:
        names, initials = grammar.FIRST_NAMES[lang], grammar.INITIALS[lang]
        cities, signatures = grammar.CITIES[lang], grammar.SIGNATURES[lang]
        name = names[int(r() * len(names))] + " " + initials[int(r() * len(initials))] + "."
        out.append(signatures[int(r() * len(signatures))].format(
            name=name, city=cities[int(r() * len(cities))]).replace("..", "."))
    return " ".join(out)


def submitter_of(r, rng, region_slots, repeaters):
    stype = pick(SUBMITTER_TYPES, r())
    names = NAMES[stype]
    u = r()
    submitter = {"type": stype}
    if stype != "citizen":
        submitter["name"] = names[int(u * len(names))]
    elif u < 0.3:
        submitter["name"] = names[int(u / 0.3 * len(names))]
    if r() >= 0.1:
        submitter["region"] = region_slots[int(r() * len(region_slots))]
    u = r()
    if u < 0.15:
        submitter["identifier"] = repeaters[int(r() ** 2 * len(repeaters))]
    elif u < 0.20:
        submitter["identifier"] = iin(rng)
    return submitter


def references(r, order, art_slots):
    u = r()
    count = 1 if u < 0.55 else 2 if u < 0.85 else 3
    refs = []
    seen = set()
    for _ in range(count):
        article_id, labels = order[art_slots[int(r() * len(art_slots))]]
        if article_id in seen:
            continue
        seen.add(article_id)
        u = r()
        if u < 0.15 and labels:
            refs.append({"article": article_id,
                         "paragraph": labels[int(u / 0.15 * len(labels))]})
        else:
            refs.append({"article": article_id})
    return refs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--articles", required=True)
    ap.add_argument("--document", required=True)
    ap.add_argument("--start", required=True)
    ap.add_argument("--days", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--untagged-share", type=float, default=0.25,
                    help="share of letters from channels other than web naming no article")
    ap.add_argument("--campaign-share", type=float, default=0.0,
                    help="share of letters that are copies of form letters")
    ap.add_argument("--truth", help="write external_ref,campaign of every letter here")
    ap.add_argument("--ref-prefix", default=None)
    ap.add_argument("--now", type=float, default=None)
    a = ap.parse_args()
    if a.n < 1 or a.days < 1:
        sys.exit("letters.py: N and --days must be positive")
    if not 0 <= a.campaign_share <= 1:
        sys.exit("letters.py: --campaign-share must be in [0, 1]")

    articles = []
    with open(a.articles, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 1)
            if parts[0]:
                labels = [x for x in (parts[1].split(",") if len(parts) > 1 else []) if x]
                articles.append((parts[0], labels))
    if not articles:
        sys.exit("letters.py: no article in " + a.articles)

    rng = random.Random(a.seed)
    # Popularity ranks fixed by the seed; rank r is drawn with a weight proportional to 1/r.
    order = sorted(articles, key=lambda x: random.Random(f"{a.seed}/{x[0]}").random())
    harmonic = sum(1.0 / r for r in range(1, len(order) + 1))
    art_slots = slots([(i, round(20000 / (i + 1) / harmonic)) for i in range(len(order))])
    start = datetime.datetime.strptime(a.start, "%Y-%m-%d").replace(
        tzinfo=datetime.timezone.utc).timestamp() - LOCAL_OFFSET_S
    day_slots = slots([(d, round(100 * (1 + 1.5 * 2.718281828 ** (-d / 3.0)
                                        + (0.8 if d >= a.days - 3 else 0))
                                 * (0.7 if datetime.date.fromtimestamp(start + LOCAL_OFFSET_S
                                                                       + d * 86400).isoweekday()
                                    >= 6 else 1)))
                       for d in range(a.days)])
    hour_slots = slots(list(enumerate(HOUR_WEIGHTS)))
    region_slots = slots(REGIONS)
    repeaters = [iin(random.Random(f"{a.seed}/submitter/{k}")) for k in range(5000)]
    now = a.now if a.now is not None else time.time()
    latest = now - 1
    prefix = a.ref_prefix if a.ref_prefix is not None else f"seed{a.seed}-"
    truth = open(a.truth, "w", encoding="utf-8") if a.truth else None
    if truth:
        truth.write("external_ref,campaign\n")

    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    r = rng.random
    if a.campaign_share > 0:
        write_with_campaigns(a, out, truth, dumps, r, rng, order, art_slots, start, day_slots,
                             hour_slots, region_slots, repeaters, latest, prefix)
        if truth:
            truth.close()
        return

    # Times drawn apart and sorted: an export lists letters in the order they were received.
    trng = random.Random(f"{a.seed}/times")
    times = sorted(min(start + day_slots[int(trng.random() * len(day_slots))] * 86400
                       + hour_slots[int(trng.random() * len(hour_slots))] * 3600
                       + trng.random() * 3600, latest)
                   for _ in range(a.n))

    for i in range(1, a.n + 1):
        submitter = submitter_of(r, rng, region_slots, repeaters)
        channel = pick(CHANNELS, r())
        lang = pick(LANGUAGES, r())
        kind = pick(KINDS, r())
        opens, bodies, closes, pt_open, pt_close = LEXICON[lang or "ru"]
        sentences = [opens[int(r() * len(opens))]]
        sentences += [bodies[int(r() * len(bodies))] for _ in range(2 + int(r() * 7))]
        sentences.append(closes[int(r() * len(closes))])
        row = {"external_ref": f"{prefix}{i:09d}", "document": a.document, "submitter": submitter,
               "channel": channel}
        if lang:
            row["language"] = lang
        row["kind"] = kind
        u = r()
        if kind in ("amend", "add") and u < 0.6:
            row["proposed_text"] = pt_open + bodies[int(u / 0.6 * len(bodies))] + pt_close
        row["text"] = " ".join(sentences)
        if channel == "web" or r() >= a.untagged_share:
            row["articles"] = references(r, order, art_slots)
        else:
            row["articles"] = []
        stamp = datetime.datetime.fromtimestamp(times[i - 1], datetime.timezone.utc)
        row["received_at"] = stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        out.write(dumps(row))
        out.write("\n")
        if truth:
            truth.write(row["external_ref"] + ",\n")
        if i % 100000 == 0:
            print(f"letters: {i}/{a.n} rows written", file=sys.stderr)
    if truth:
        truth.close()


def write_with_campaigns(a, out, truth, dumps, r, rng, order, art_slots, start, day_slots,
                         hour_slots, region_slots, repeaters, latest, prefix):
    forms = form_letters(a.seed, order, art_slots)
    frng = random.Random(f"{a.seed}/campaigns")
    ranks = list(range(len(forms)))
    frng.shuffle(ranks)
    form_slots = slots([(k, round(2000 / (rank + 1))) for k, rank in enumerate(ranks)])
    # Each form letter's copies come in a burst: from its first day on, fewer each day.
    burst_day = [int(frng.random() * a.days) for _ in forms]
    burst_spread = [0.5 + 1.5 * frng.random() for _ in forms]

    # Which letters are copies, and when each letter came; then in the order received.
    trng = random.Random(f"{a.seed}/times")
    t = trng.random
    share = a.campaign_share
    labels = [-1] * a.n
    times = [0.0] * a.n
    last_day = a.days - 1
    for i in range(a.n):
        if t() < share:
            k = form_slots[int(t() * len(form_slots))]
            labels[i] = k
            day = min(last_day, burst_day[k] + int(-math.log(1.0 - t()) * burst_spread[k]))
        else:
            day = day_slots[int(t() * len(day_slots))]
        times[i] = min(start + day * 86400 + hour_slots[int(t() * len(hour_slots))] * 3600
                       + t() * 3600, latest)
    received = sorted(range(a.n), key=times.__getitem__)

    untagged = a.untagged_share
    for i, j in enumerate(received, 1):
        submitter = submitter_of(r, rng, region_slots, repeaters)
        channel = pick(CHANNELS, r())
        k = labels[j]
        row = {"external_ref": f"{prefix}{i:09d}", "document": a.document, "submitter": submitter,
               "channel": channel}
        if k < 0:
            lang = pick(LANGUAGES, r())
            kind = pick(KINDS, r())
            if lang:
                row["language"] = lang
            row["kind"] = kind
            if kind in ("amend", "add") and r() < 0.6:
                row["proposed_text"] = wording(lang or "ru", r)
            row["text"] = " ".join(grammar_text(lang or "ru", r, 3 + int(r() * 6)))
            tagged = channel == "web" or r() >= untagged
            row["articles"] = references(r, order, art_slots) if tagged else []
        else:
            form = forms[k]
            if r() >= 0.03:
                row["language"] = form["lang"]
            row["kind"] = form["kind"]
            if form["proposed"]:
                row["proposed_text"] = form["proposed"]
            row["text"] = copy_text(form, r)
            tagged = channel == "web" or r() >= untagged
            row["articles"] = [dict(x) for x in form["refs"]] if tagged else []
        stamp = datetime.datetime.fromtimestamp(times[j], datetime.timezone.utc)
        row["received_at"] = stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        out.write(dumps(row))
        out.write("\n")
        if truth:
            truth.write(row["external_ref"] + "," + (forms[k]["id"] if k >= 0 else "") + "\n")
        if i % 100000 == 0:
            print(f"letters: {i}/{a.n} rows written", file=sys.stderr)


if __name__ == "__main__":
    main()
