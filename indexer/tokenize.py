"""Split folded text into search terms, whatever the spacing of Persian words.

The same word arrives with a ZWNJ, a space, a NO-BREAK SPACE or nothing
between its parts: «می‌توانیم», «می توانیم», «میتوانیم». Every spelling must
give the same term, so the canonical term is the *joined* form:

* a ZWNJ between two Persian letters joins («کتاب‌ها» -> ``کتابها``);
* the verbal prefixes می/نمی written as separate words attach to the next
  word («می توانیم» -> ``میتوانیم``);
* plural, comparative and enclitic suffixes written as separate words
  attach to the previous word («کتاب ها» -> ``کتابها``).

Attaching happens only across whitespace, never across punctuation, and both
sides must be Persian words. Terms carry offsets into the original text, so
a highlighted snippet covers «می توانیم» whole.

>>> [t.text for t in word_tokens("مي توانيم كتاب‌ها را بخوانیم")]
['میتوانیم', 'کتابها', 'را', 'بخوانیم']
>>> [t.parts for t in word_tokens("همه‌جانبه کتاب ها")]
[('همه', 'جانبه'), ('کتاب',)]
"""

from __future__ import annotations

import re
from typing import NamedTuple

from indexer.normalize import IGNORABLE, ZWNJ, fold_with_offsets

# Persian/Arabic letters after folding (digits and punctuation such as ، ؛ ؟
# ٪ ۔ excluded), plus the ignorable placeholder. ZWNJ joins runs of these.
_FA = "\u0621-\u063a\u0640-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_TOKEN = re.compile(
    rf"(?P<fa>[{_FA}]+(?:{ZWNJ}[{_FA}]+)*)"  # Persian word, ZWNJ compounds joined
    rf"|(?P<num>[0-9{IGNORABLE}]+)"  # digits are their own terms: «کووید۱۹» = «کووید 19»
    rf"|(?P<word>[^\W\d_\u0600-\u063f\u0641-\u06ff]+)"  # Latin and other scripts
)
# What may stand between two tokens that are one word: spaces and ZWNJs.
_JOINABLE_GAP = re.compile(rf"[ \t{ZWNJ}]+")

#: Verbal prefixes that attach to the following word.
PREFIXES = frozenset({"می", "نمی"})
#: Suffixes that attach to the preceding word: plural ها (with ezafe and
#: enclitic pronouns), comparative/superlative تر/ترین, and the enclitic
#: copula and pronouns. «است» is deliberately absent: it is a word of its own.
SUFFIXES = frozenset(
    {
        "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
        "تر", "ترین", "تری",
        "ام", "ات", "اش", "ای", "ایم", "اید", "اند",
    }
)  # fmt: skip


class Term(NamedTuple):
    """A term, where it stands in the original text, and its parts.

    ``parts`` are the words a compound was written with («همه‌جانبه» ->
    همه, جانبه; «کتاب ها» -> کتاب), affixes left out, so a query that spells
    the compound apart still finds it. Empty for a simple word.
    """

    text: str
    start: int
    end: int
    parts: tuple[str, ...] = ()


# (pieces, start, end, is_persian): pieces are the ZWNJ-separated parts.
_Raw = tuple[list[str], int, int, bool]


def _raw_tokens(folded: str) -> list[_Raw]:
    tokens: list[_Raw] = []
    for match in _TOKEN.finditer(folded):
        text = match.group()
        if IGNORABLE in text:
            text = text.replace(IGNORABLE, "")
            if not text.replace(ZWNJ, ""):
                continue
        persian = match.lastgroup == "fa"
        pieces = [p for p in text.split(ZWNJ) if p] if persian else [text.lower()]
        tokens.append((pieces, match.start(), match.end(), persian))
    return tokens


def _attach_affixes(folded: str, tokens: list[_Raw]) -> list[Term]:
    """Join space-separated prefixes and suffixes to their word."""
    terms: list[Term] = []
    i, n = 0, len(tokens)
    while i < n:
        pieces, start, end, persian = tokens[i]
        i += 1
        if persian:
            # «می توانیم»: a prefix followed by a Persian word
            if (len(pieces) == 1 and pieces[0] in PREFIXES and i < n and tokens[i][3]
                    and _joinable(folded, end, tokens[i][1])):
                pieces, end = pieces + tokens[i][0], tokens[i][2]
                i += 1
            # «کتاب ها», «بیش تر», «رفته اند»
            while i < n and "".join(tokens[i][0]) in SUFFIXES and _joinable(folded, end, tokens[i][1]):
                pieces, end = pieces + tokens[i][0], tokens[i][2]
                i += 1
        terms.append(Term("".join(pieces), start, end, _parts(pieces)))
    return terms


def _parts(pieces: list[str]) -> tuple[str, ...]:
    """The pieces of a compound that are words of their own."""
    if len(pieces) == 1:
        return ()
    words = tuple(p for p in pieces if p not in PREFIXES and p not in SUFFIXES)
    return words if words and words != ("".join(pieces),) else ()


def _joinable(folded: str, end: int, start: int) -> bool:
    return _JOINABLE_GAP.fullmatch(folded, end, start) is not None


def word_tokens(text: str) -> list[Term]:
    """The terms of ``text`` with offsets into ``text`` itself.

    >>> word_tokens("ﻻ ۱۲")
    [Term(text='لا', start=0, end=1, parts=()), Term(text='12', start=2, end=4, parts=())]
    """
    folded, offsets = fold_with_offsets(text)
    terms = _attach_affixes(folded, _raw_tokens(folded))
    if offsets is None:
        return terms
    return [Term(t.text, offsets[t.start], offsets[t.end - 1] + 1, t.parts) for t in terms]
