"""The words and marks that cue a quote and shape a clause: quote verbs («گفت»، «تصریح کرد»،
«معتقد است» …), interview cues, clause and comma ends, quote marks, and the frames and modals
before which no one is quoted."""

from __future__ import annotations

import re

from indexer.speakers.names import is_role
from indexer.speakers.words import is_verb_form, key

# Quote verbs: a light verb phrase (noun + کرد/داشت/...) or a simple verb.
# Plural verbs are left out on purpose: their subjects are groups.
_LIGHT = r"(?:کرد|کرده|داشت|داشته|ساخت|داد|داده|دارد|میکند|می کند|میکرد|می کرد|نمود|نموده)"
_NOUNS = (
    r"اظهار|تصریح|خاطرنشان|خاطر نشان|عنوان|بیان|تاکید|یادآوری|ادامه|اعلام|توضیح|"
    r"هشدار|خبر|اذعان|تشریح|ابراز|اضافه|ادعا|پاسخ|انتقاد|اعتراف|توییت|توئیت|اشاره|"
    r"تهدید|قول|وعده|توصیه|استدلال|اعلام آمادگی|تکذیب|تایید|متهم|مطرح|صحبت|سخنرانی|اظهارنظر|اظهار نظر|پیشنهاد|"
    r"ارزیابی|پیشبینی|پیش بینی"
)
VERB = re.compile(
    rf"(?:^| )(?:(?:{_NOUNS})(?: (?!خواهد |خواهند |شده |نشده )\S+)?? {_LIGHT}|"
    r"(?:یادآور|مدعی|متذکر|خاطرنشان) (?:شد|شده)|"
    r"معتقد (?:است|بود|شد)|گفت|گفته|افزود|افزوده|نوشت|نوشته|میگوید|می گوید|مینویسد|می نویسد|اعتقاد دارد|"
    r"عقیده (?:دارد|داشت)|بر این (?:باور|عقیده|اعتقاد) (?:است|بود)|"  # a view held: «X بر این باور است که ...»
    r"میافزاید|می افزاید|خواستار|میگویند|اظهارداشت|اظهارکرد|دانست|آورده(?: است)?(?= :))(?= |$)"
)
# Plural quote verbs say one person's words in the plural of respect, which news keeps for the
# Leader, senior clerics and «ایشان» («حضرت آیت‌الله نیک‌سیرت ... افزودند»، «امام فرمودند»):
# a plural verb counts only after such a subject (``RESPECTFUL``); others are groups.
PLURAL_VERB = re.compile(
    rf"(?:^| )(?:(?:{_NOUNS})(?: (?!خواهد |خواهند )\S+)?? (?:کردند|داشتند|نمودند|دادند|ساختند)|"
    r"(?:یادآور|متذکر|خاطرنشان) شدند|معتقدند|گفتند|افزودند|نوشتند|فرمودند|فرمود|میفرمایند|می فرمایند|"
    r"میافزایند|می افزایند|خواستار شدند)(?= |$)"
)
RESPECTFUL = frozenset({"حضرت", "آیتالله", "آیت", "امام", "رهبر", "ایشان"})
# «گفته شد»، «گفته می‌شود», «گفت و گو», «نوشته شد» (passive): not a quote verb with a subject.
NOT_QUOTE = re.compile(
    r"^(?:(?:گفته|گفت) (?:شد|شده|میشود|می شود|میشد|شود|و گو|وگو|ها|های|هایی)|نوشته (?:شد|شده|میشود|می شود|شود))\b"
)
# «گفت‌وگو با X»، «مصاحبه با X»: X is interviewed (when no one else is quoted in the sentence).
INTERVIEW = re.compile(r"(?:^| )(?:گفتوگو|گفتگو|گفت و گو|مصاحبه|گفتوگوی|گفتگوی|مصاحبه ی)(?: \S+){0,3}? با ")
# «اما»، «ولی»، «بلکه» start a new clause with its own subject.
CLAUSE_END = {":", "؛", ";", "!", "?", "؟", ".", "اما", "ولی", "بلکه"}
SEGMENT_END = {"،", ","}
QUOTE_MARKS = {"«", "»", '"', "'", "“", "”"}
# Marks that open a quoted name, and the mark that closes each (Fars News writes "امیل دوفور").
CLOSING = {"«": "»", '"': '"', "“": "”"}
OPENING = frozenset(CLOSING)
# A word of letters (ZWNJ inside allowed): no digit, no mark.
LETTERS_ONLY = re.compile(r"[^\W\d_]+(?:\u200c[^\W\d_]+)*")
# A segment that opens a sentence with these is a report or time frame
# («به گزارش ایسنا،»، «۲۵ بهمن ۱۳۹۷،»): the subject is in a later segment.
FRAME_WORDS = {
    "به", "بنا", "بنابر", "طبق", "براساس", "بر", "در", "از", "پس", "پیش", "پیرو", "با", "طی", "ضمن",
    "بعد", "قبل", "درپی", "گفتنی", "همچنین", "همزمان",
}  # fmt: skip
ARTICLES = {"یک", "یکی", "این", "آن"}
# «در پاسخ به گفته X»، «در واکنش به ادعای X»: the speaker answers X.
RESPONSE = {"پاسخ", "واکنش"}


# Before a short infinitive («می‌توان گفت»، «باید گفت»): no one says it.
_MODALS = frozenset({"میتوان", "بتوان", "نمیتوان", "نتوان", "باید", "نباید", "بایست", "میبایست"})


def after_modal(tokens: list[str], keys: list[str], verb: int) -> bool:
    """Whether the quote verb at ``verb`` is the short infinitive of a modal before it, with
    no other verb between: «می‌توان به کسانی، مانند X، اشاره کرد»، «باید گفت».

    >>> toks = "می‌توان به کسانی ، مانند علی آذرپی اشاره کرد".split()
    >>> after_modal(toks, [t.replace("‌", "") for t in toks], 7)
    True
    """
    for n in range(verb - 1, -1, -1):
        if keys[n] in _MODALS or (keys[n] == "توان" and n and keys[n - 1] in ("می", "نمی")):
            return True  # not «توان» alone, a noun («ارتقای توان رزم»)
        if tokens[n] in CLAUSE_END or is_verb_form(tokens[n]):
            return False
    return False


def introduces_quote(tokens: list[str], keys: list[str], at: int) -> bool:
    """Whether what follows the verb that ends at character ``at`` of the keys' text is a quote:
    «:»، «که» or a quote mark. «ادامه داد» says something only so («وی ادامه داد: ...»)."""
    after = len(" ".join(keys)[:at].split(" "))  # tokens up to the verb's end
    return after < len(tokens) and (tokens[after] in (":", *QUOTE_MARKS) or keys[after] == "که")


def ends_clause(tokens: list[str], n: int) -> bool:
    """Punctuation or «اما/ولی/بلکه» at ``n`` ends a clause («ولی الله» is a name)."""
    return tokens[n] in CLAUSE_END and not (n + 1 < len(tokens) and key(tokens[n + 1]) in ("الله", "اله"))


def role_key(tokens: list[str], at: int) -> str:
    """A role as a lookup key: its first two words («سخنگوی وزارت»)."""
    return " ".join(key(t) for t in tokens[at : at + 2])


def role_follows(tokens: list[str]) -> bool:
    """A role starts here, possibly after «یک»/«این»/«از» («، یک تحلیلگر»)."""
    words = [t for t in tokens[:3] if t not in QUOTE_MARKS]
    while words and key(words[0]) in ARTICLES | {"از"}:
        words = words[1:]
    return bool(words) and is_role(words[0])
