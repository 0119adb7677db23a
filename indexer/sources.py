"""Who published an article, and which agencies it reports from.

``OUTLETS`` maps each outlet's code and the names corpora give it (agency
codes in ir-news, site names) to one display name, so every outlet is one
facet value. ``cited_agencies`` finds the agencies an article cites in
«به گزارش X» and «به نقل از Y» (also glued: «به گزارشمهر», «مهربه نقل از»)
and «منبع: Z», and writes known ones one way: «خبرگزاری مهر» → «مهر».

>>> outlet_name("asriran_2_data"), outlet_name("tabnak_data"), outlet_name("روز نو")
('عصر ایران', 'تابناک', 'روزنو')
>>> cited_agencies("به گزارش اسپادانا خبر و به نقل از مهر، جلسه برگزار شد.")
['اسپادانا خبر', 'مهر']
>>> cited_agencies("به گزارشمهر به نقل از خبرگزاری رویترز، گزارشی منتشر شد.")
['مهر', 'رویترز']
>>> cited_agencies("به گزارش خبرگزاري فارس از قم، مراسم برگزار شد.")
['فارس']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.metadata import clean_label, facet_key


@dataclass(frozen=True)
class Outlet:
    code: str  # short ASCII code, the prefix of article ids
    name: str  # the display name, in Persian
    aliases: tuple[str, ...] = ()  # other codes and spellings, matched by facet key


#: Outlets whose corpora we read. A new corpus adds its outlet here.
OUTLETS: tuple[Outlet, ...] = (
    Outlet("tabnak", "تابناک", ("tabnak_data", "tabnak.ir")),
    Outlet("asriran", "عصر ایران", ("asriran_1_data", "asriran_2_data", "asriran.com")),
    Outlet("roozno", "روزنو", ("roozno_data", "roozno.com", "روزونو")),
    Outlet("sobhaneh", "صبحانه آنلاین", ("sobhane1", "sobhane2", "sobhanehonline", "sobhanehonline.com")),
    Outlet("mashregh", "مشرق", ("mashreghnews", "mashreghnews.ir")),
    Outlet("fars", "فارس", ("farsnews", "farsnews.ir", "خبرگزای فارس")),
    Outlet("hamshahri", "همشهری"),
)

#: Agencies that articles cite, beyond the outlets: display name → other
#: spellings. Unknown agencies are kept as written («خبرگزاری نمونه»).
AGENCIES: dict[str, tuple[str, ...]] = {
    "ایرنا": ("خبرگزاری جمهوری اسلامی", "irna"),
    "ایسنا": ("خبرگزاری دانشجویان ایران", "isna"),
    "مهر": (),
    "تسنیم": (),
    "ایلنا": (),
    "ایکنا": (),
    "میزان": (),
    "خبرآنلاین": (),
    "باشگاه خبرنگاران جوان": ("باشگاه خبرنگاران",),
    "رویترز": ("رویتر",),
    "اسپوتنیک": ("اسپوتینک",),
    "آناتولی": (),
    "خبرگزاری فرانسه": ("فرانس پرس", "AFP"),  # «فرانسه» alone is the country
    "ورزش سه": ("ورزش 3",),
    "سی‌ان‌ان": ("CNN",),
    # Agencies and news sites the shared news cite (twice or more), and a few well known ones.
    "اسپادانا خبر": (),
    "ایبنا": (),
    "ایتنا": (),
    "برنا": (),
    "پانا": (),
    "شبستان": (),
    "فرارو": (),
    "انتخاب": (),
    "رویداد ۲۴": ("رویداد24",),
    "آفتاب نیوز": (),
    "جماران": (),
    "اعتمادآنلاین": ("اعتماد آنلاین",),
    "اقتصادآنلاین": ("اقتصاد آنلاین",),
    "فرهیختگان": (),
    "دنیای اقتصاد": (),
    "شرق": (),
    "اعتماد": (),
    "همشهری آنلاین": (),
    "جام جم": (),
    "کیهان": (),
    "جوان": (),
    "خانه ملت": (),
    "خبرگزاری صدا و سیما": ("خبرگزاری صدا", "صدا و سیما", "صداوسیما"),
    "شبکه خبر": (),
    "خبر ورزشی": (),
    "ایران ورزشی": (),
    "آی اسپورت": ("ای اسپورت",),
    "نود": (),
    "ترجمان": ("ترجمان علوم انسانی",),
    "آسوشیتدپرس": ("آسوشیتد پرس", "AP"),
    "بی‌بی‌سی": ("بی بی سی", "BBC"),
    "دویچه وله": (),
    "یورونیوز": (),
    "سی‌ان‌بی‌سی": ("سی ان بی سی", "CNBC"),
    "اسکای نیوز": (),
    "فاکس نیوز": (),
    "بلومبرگ": (),
    "گاردین": (),
    "ایندیپندنت": (),
    "دیلی میل": (),
    "واشنگتن پست": (),
    "نیویورک تایمز": (),
    "وال استریت ژورنال": (),
    "پولیتیکو": (),
    "هیل": (),
    "بیزینس اینسایدر": (),
    "بیزینس تایمز": (),
    "ان‌دی‌تی‌وی": ("ان دی تی وی",),
    "خبرگزاری آلمان": (),
    "اینترفکس": (),
    "تاس": (),
    "شینهوا": (),
    "یونهاپ": (),
    "سانا": ("خبرگزاری رسمی سوریه",),
    "روسیا الیوم": ("روسیاالیوم",),
    "راشا تودی": ("راشاتودی",),
    "الجزیره": (),
    "العربیه": (),
    "العالم": (),
    "المیادین": (),
    "النشره": (),
    "المعلومه": (),
    "المسیره": (),
    "العهد": (),
    "الرای": (),
    "القدس العربی": (),
    "العربی الجدید": (),
    "السومریه نیوز": ("سومریه نیوز", "السومریه"),
    "شفق نیوز": (),
    "بغداد الیوم": (),
    "مرکز اطلاع رسانی فلسطین": (),
    "تله‌سور": ("تله سور",),
}

_NAMES: dict[str, str] = {}
for _outlet in OUTLETS:
    for _spelling in (_outlet.code, _outlet.name, *_outlet.aliases):
        _NAMES[facet_key(_spelling)] = _outlet.name
for _agency, _spellings in AGENCIES.items():
    for _spelling in (_agency, *_spellings):
        _NAMES[facet_key(_spelling)] = _agency
_CODES = {facet_key(s): o.code for o in OUTLETS for s in (o.code, o.name, *o.aliases)}


def outlet_name(name: str) -> str:
    """The display name of an outlet code or spelling; unknown ones cleaned.

    >>> outlet_name("خبرگزاری فارس"), outlet_name("Some Site "), outlet_name("پایگاه خبری کاوش‌نما")
    ('فارس', 'Some Site', 'کاوش‌نما')
    """
    cleaned = clean_label(name)
    # «پایگاه خبری X» as a source is X, as it is when cited (``_generic``)
    return _known(name) or _DESCRIPTION.sub("", cleaned).strip() or cleaned


def known_agencies(names: list[str]) -> list[str]:
    """The display names of the known agencies and outlets among ``names`` (each once), others dropped.

    The ``cited`` facet lists real agencies only: a phrase after «به گزارش» that names
    a desk, an office or a clause («فدراسیون فوتبال», «رویداد۲۴ لیست جبهه پایداری»)
    is no agency. Spellings and diacritics are one name («ایبِنا» is «ایبنا»).

    >>> known_agencies(["ایبِنا", "فدراسیون فوتبال", "رویداد۲۴ لیست جبهه پایداری", "خبرگزاری ایبنا"])
    ['ایبنا', 'رویداد ۲۴']
    """
    found: list[str] = []
    for name in names:
        name = _PUBLICATION.sub("", name)  # «روزنامه گاردین» cites گاردین (a source's own name keeps it)
        known = _known(name) or _known_prefix(name.split())
        if known and known not in found:
            found.append(known)
    return found


def outlet_code(name: str) -> str:
    """The short code of an outlet (the prefix of its article ids), or ``""``.

    >>> outlet_code("asriran_1_data"), outlet_code("نامعلوم")
    ('asriran', '')
    """
    key = facet_key(name)
    return _CODES.get(key) or _CODES.get(key.removeprefix("خبرگزاری"), "")


def _known(name: str) -> str:
    """The display name of a known outlet or agency, «خبرگزاری» optional."""
    key = facet_key(name)
    return _NAMES.get(key) or _NAMES.get(key.removeprefix("خبرگزاری"), "")


# «به گزارش» / «به نقل از» / «منبع:», then the name up to punctuation.
_TRIGGER = re.compile(r"(به\s*گزارش|به\s*نقل\s*از|منبع\s*[:：])(\s*)([^،,.:؛;!?؟()\n]*)")
# Inside a phrase: «X و به نقل از Y», «X به نقل از Y», also glued «Xبه نقل از».
_CITING = re.compile(r"(?:\s+و)?\s*به\s*نقل\s*از\s*")
# A name ends before these words: «فارس از قم», «فارس در تهران».
_NAME_END = re.compile(r"\s(?:از|در|و|که|با|برای|درباره|پیرامون)\s.*$")
# Descriptions before a name: «پایگاه خبری X», «وب سایت تحلیلی X».
_DESCRIPTION = re.compile(
    r"^(?:(?:وب\s*سایت|سایت|پایگاه|شبکه|خبری|تحلیلی|اطلاع[\s\u200c]*رسانی|رسمی|تلویزیونی|اینترنتی)\s+)+"
)
# Words for a publication before a cited name: «روزنامه گاردین», «تارنمای نیویورک تایمز».
_PUBLICATION = re.compile(r"^(?:(?:روزنامه|تارنمای|تارنما|نشریه|وبگاه|مجله)\s+)+")
# The outlet's own desk or reporter: «گروه سلامت»، «خبرنگار اقتصادی»;
# they name an agency only when one follows («خبرنگار خبرگزاری فارس»).
_DESK = ("گروه", "خبرنگار", "سرویس", "بخش")
# Phrases that start with these are not names («به گزارش رسانه‌های عراقی»,
# «به نقل از یک منبع آگاه», «به نقل از روز شنبه ...»), compared by facet key.
_NOT_A_NAME = frozenset(
    {"این", "آن", "وی", "او", "ما", "ایشان", "برخی", "منابع", "منبعی", "رسانه", "رسانههای", "شاهد", "شاهدان"}
    | {"گزارش", "به", "یک", "دو", "سه", "چند", "های", "از", "ز", "و", "در", "سال", "ماه", "روز", "بامداد", "مقامات"}
)
# Nor are phrases with a verb: «به نقل از دیلی میل گزارش داد», «... نوشت».
_VERBS = frozenset({"نوشت", "گفت", "افزود", "داد", "کرد", "شد", "است", "بود", "کرده", "شده", "باشد", "میافزاید"})
_MIN_CHARS = 3
_MAX_WORDS = 4
_MAX_CHARS = 40


def cited_agencies(text: str) -> list[str]:
    """Display names of the agencies and sites ``text`` reports from, in
    order of first mention, each once.

    >>> cited_agencies("به گزارش «تابناک» به نقل از ایسنا، خبر.")
    ['تابناک', 'ایسنا']
    >>> cited_agencies("به گزارش گروه سلامت، این خبر به گزارشی دیگر اشاره دارد.")
    []
    """
    names: list[str] = []
    for match in _TRIGGER.finditer(text):
        glued = not match[2] and not match[1].startswith("منبع")
        for i, part in enumerate(_CITING.split(match[3])):
            name = _name(part, glued=glued and i == 0)
            if name and name not in names:
                names.append(name)
    return names


def _name(phrase: str, *, glued: bool) -> str:
    """The agency named by one phrase, or ``""`` when it names none."""
    phrase = clean_label(phrase.replace("«", " ").replace("»", " ").replace('"', " "))
    if glued:  # «به گزارشمهر»: only a known name may follow, else it is «به گزارشی».
        return _known_prefix(phrase.split())
    words = normalize_words(phrase)
    if not words:
        return ""
    if "خبرگزاری" in words:  # «گروه بین‌الملل خبرگزاری فارس» → «فارس»
        after = phrase.split()[len(words) - 1 - words[::-1].index("خبرگزاری") :]
        return _known_prefix(after) or (_generic(" ".join(after)) if len(after) > 1 else "")
    if words[0] in _DESK:
        return _known_prefix(phrase.split()[1:]) or _known_prefix(phrase.split()[2:])
    return _known_prefix(phrase.split()) or _generic(phrase)


def normalize_words(phrase: str) -> list[str]:
    """Words of a phrase in their facet-key form, to compare with word lists."""
    return [facet_key(w) for w in phrase.split()]


def _known_prefix(words: list[str]) -> str:
    """The known name that the first words spell (longest first)."""
    for n in range(min(len(words), _MAX_WORDS), 0, -1):
        name = _known(" ".join(words[:n]))
        if name:
            return name
    return ""


def _generic(phrase: str) -> str:
    """An unknown name as written, if the phrase looks like one."""
    phrase = _DESCRIPTION.sub("", _NAME_END.sub("", phrase)).strip()
    words = normalize_words(phrase)
    if not words or len(words) > _MAX_WORDS or not _MIN_CHARS <= len(phrase) <= _MAX_CHARS:
        return ""
    if words[0] in _NOT_A_NAME or words[0] in _DESK or _VERBS.intersection(words):
        return ""
    if len(words) > 1 and words[1] in ("ها", "های"):  # «خبرگزاری ها»
        return ""
    return _known(phrase) or phrase
