#!/usr/bin/env python3
"""Writes a synthetic public consultation as JSON Lines for `usynys import`.

    letters.py N --articles FILE --document SLUG --start YYYY-MM-DD --days D [--seed S]
               [--untagged-share F] [--ref-prefix P] [--now EPOCH] > letters.jsonl

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
"""

import argparse
import datetime
import json
import random
import sys
import time

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
    ap.add_argument("--ref-prefix", default=None)
    ap.add_argument("--now", type=float, default=None)
    a = ap.parse_args()
    if a.n < 1 or a.days < 1:
        sys.exit("letters.py: N and --days must be positive")

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

    # Times drawn apart and sorted: an export lists letters in the order they were received.
    trng = random.Random(f"{a.seed}/times")
    times = sorted(min(start + day_slots[int(trng.random() * len(day_slots))] * 86400
                       + hour_slots[int(trng.random() * len(hour_slots))] * 3600
                       + trng.random() * 3600, latest)
                   for _ in range(a.n))

    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    r = rng.random
    for i in range(1, a.n + 1):
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
        refs = []
        if channel == "web" or r() >= a.untagged_share:
            u = r()
            count = 1 if u < 0.55 else 2 if u < 0.85 else 3
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
        row["articles"] = refs
        stamp = datetime.datetime.fromtimestamp(times[i - 1], datetime.timezone.utc)
        row["received_at"] = stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        out.write(dumps(row))
        out.write("\n")
        if i % 100000 == 0:
            print(f"letters: {i}/{a.n} rows written", file=sys.stderr)


if __name__ == "__main__":
    main()
