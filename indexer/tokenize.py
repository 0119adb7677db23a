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


def _terms(folded: str) -> list[Term]:
    """The tokens of folded text, space-separated prefixes and suffixes joined to their word.

    One pass (this is the hot loop of a reindex): a Persian word is held until the next
    token shows whether it attaches. A lone prefix takes the next Persian word («می
    توانیم»); any Persian word takes the suffixes that follow it («کتاب ها», «رفته اند»);
    only spaces and ZWNJs may stand between them.
    """
    terms: list[Term] = []
    emit = terms.append
    gap = _JOINABLE_GAP.fullmatch
    held: list[str] = []  # the ZWNJ-separated pieces of the held Persian word
    held_start = held_end = 0
    prefix = False  # the held word is a lone prefix that has not taken its word yet
    for match in _TOKEN.finditer(folded):
        text = match.group()
        if IGNORABLE in text:
            text = text.replace(IGNORABLE, "")
            if not text.replace(ZWNJ, ""):
                continue
        start, end = match.span()
        if match.lastgroup != "fa":
            if held:
                emit(_term(held, held_start, held_end))
                held = []
            emit(_new_term(Term, (text.lower(), start, end, ())))
            continue
        if ZWNJ in text:
            pieces = [p for p in text.split(ZWNJ) if p]
            joined = "".join(pieces)
        else:
            pieces, joined = [text], text
        if held:
            if (prefix or joined in SUFFIXES) and gap(folded, held_end, start) is not None:
                held += pieces
                held_end = end
                prefix = False
                continue
            if len(held) == 1:
                emit(_new_term(Term, (held[0], held_start, held_end, ())))
            else:
                emit(_term(held, held_start, held_end))
        held, held_start, held_end = pieces, start, end
        prefix = joined in PREFIXES and len(pieces) == 1
    if held:
        emit(_term(held, held_start, held_end))
    return terms


# NamedTuple's own constructor is a Python function: this skips it in the hot loop.
_new_term = tuple.__new__


def _term(pieces: list[str], start: int, end: int) -> Term:
    if len(pieces) == 1:
        return Term(pieces[0], start, end)
    return Term("".join(pieces), start, end, _parts(pieces))


def _parts(pieces: list[str]) -> tuple[str, ...]:
    """The pieces of a compound that are words of their own."""
    if len(pieces) == 1:
        return ()
    words = tuple(p for p in pieces if p not in PREFIXES and p not in SUFFIXES)
    return words if words and words != ("".join(pieces),) else ()


def word_tokens(text: str) -> list[Term]:
    """The terms of ``text`` with offsets into ``text`` itself.

    >>> word_tokens("ﻻ ۱۲")
    [Term(text='لا', start=0, end=1, parts=()), Term(text='12', start=2, end=4, parts=())]
    """
    folded, offsets = fold_with_offsets(text)
    terms = _terms(folded)
    if offsets is None:
        return terms
    return [Term(t.text, offsets[t.start], offsets[t.end - 1] + 1, t.parts) for t in terms]
