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
    """A term and where it stands in the original text."""

    text: str
    start: int
    end: int


def _raw_tokens(folded: str) -> list[tuple[str, int, int, bool]]:
    """(term, start, end, is_persian) for every token of folded text."""
    tokens: list[tuple[str, int, int, bool]] = []
    for match in _TOKEN.finditer(folded):
        text = match.group()
        if IGNORABLE in text:
            text = text.replace(IGNORABLE, "")
            if not text:
                continue
        persian = match.lastgroup == "fa"
        if persian:
            text = text.replace(ZWNJ, "")
        else:
            text = text.lower()
        tokens.append((text, match.start(), match.end(), persian))
    return tokens


def _attach_affixes(folded: str, tokens: list[tuple[str, int, int, bool]]) -> list[Term]:
    """Join space-separated prefixes and suffixes to their word."""
    terms: list[Term] = []
    i, n = 0, len(tokens)
    while i < n:
        text, start, end, persian = tokens[i]
        i += 1
        if persian:
            # «می توانیم»: a prefix followed by a Persian word
            if text in PREFIXES and i < n and tokens[i][3] and _joinable(folded, end, tokens[i][1]):
                text, end = text + tokens[i][0], tokens[i][2]
                i += 1
            # «کتاب ها», «بیش تر», «رفته اند» (several: «کتاب های ام» is rare)
            while i < n and tokens[i][0] in SUFFIXES and _joinable(folded, end, tokens[i][1]):
                text, end = text + tokens[i][0], tokens[i][2]
                i += 1
        terms.append(Term(text, start, end))
    return terms


def _joinable(folded: str, end: int, start: int) -> bool:
    return _JOINABLE_GAP.fullmatch(folded, end, start) is not None


def word_tokens(text: str) -> list[Term]:
    """The terms of ``text`` with offsets into ``text`` itself.

    >>> word_tokens("ﻻ ۱۲")
    [Term(text='لا', start=0, end=1), Term(text='12', start=2, end=4)]
    """
    folded, offsets = fold_with_offsets(text)
    terms = _attach_affixes(folded, _raw_tokens(folded))
    if offsets is None:
        return terms
    return [Term(t.text, offsets[t.start], offsets[t.end - 1] + 1) for t in terms]
