"""Split folded text into search terms, whatever the spacing of Persian words.

The same word arrives with a ZWNJ, a space, a NO-BREAK SPACE or nothing
between its parts: «می‌توانیم», «می توانیم», «میتوانیم». Every spelling must
give the same term, so the canonical term is the *joined* form:

* a ZWNJ between two Persian letters joins («کتاب‌ها» -> ``کتابها``);
* the verbal prefixes می/نمی written as separate words attach to the next
  word («می توانیم» -> ``میتوانیم``), but «می» after «ماه» is the month May;
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
from itertools import accumulate, repeat
from operator import add
from typing import NamedTuple

from indexer.normalize import IGNORABLE, ZWNJ, fold_with_offsets

# Persian/Arabic letters after folding (digits and punctuation such as ، ؛ ؟
# ٪ ۔ excluded), plus the ignorable placeholder. ZWNJ joins runs of these.
_FA = "\u0621-\u063a\u0640-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_FA_WORD = rf"[{_FA}]+(?:{ZWNJ}[{_FA}]+)*"  # Persian word, ZWNJ compounds joined
_NUM = rf"[0-9{IGNORABLE}]+"  # digits are their own terms: «کووید۱۹» = «کووید 19»
_OTHER = r"[^\W\d_\u0600-\u063f\u0641-\u06ff]"  # Latin and other scripts
_TOKEN = re.compile(rf"(?P<fa>{_FA_WORD})|(?P<num>{_NUM})|(?P<word>{_OTHER}+)")
# The same tokens, written to start with one character class (a superset of the tokens' first
# characters; the lookbehinds pick the branch ``_TOKEN`` would take): ``re`` then skips the
# gaps between tokens in C, a quarter faster. Possessive quantifiers: a token never gives
# characters back.
_ONE_TOKEN = (
    rf"[{_FA}\w](?:(?<=[{_FA}])[{_FA}]*+(?:{ZWNJ}[{_FA}]++)*+"
    rf"|(?<=[0-9{IGNORABLE}])[0-9{IGNORABLE}]*+"
    rf"|(?<={_OTHER}){_OTHER}*+)"
)
# Runs of tokens one space apart, as one group for ``re.split``: [gap, run, gap, run, ..., gap].
# Most words of a text stand one space apart: ``str.split`` cuts a run into its tokens in C,
# and ``re`` makes one match per run instead of one per token (the split takes a quarter less).
_RUNS = re.compile(rf"({_ONE_TOKEN}(?: {_ONE_TOKEN})*+)")
# The characters a Persian word (``_TOKEN``'s ``fa``) starts with.
_FA_CHARS = frozenset(ch for ch in map(chr, range(0x0600, 0x0700)) if re.fullmatch(f"[{_FA}]", ch))
CAPITAL_SIGMA = "\u03a3"
# What may stand between two tokens that are one word: spaces and ZWNJs.
_JOINABLE_GAP = re.compile(rf"[ \t{ZWNJ}]+")

#: Verbal prefixes that attach to the following word.
PREFIXES = frozenset({"می", "نمی"})
#: Words after which «می» is the month May, not a prefix («ماه می سال گذشته»; hazm keeps it too).
MONTH_BEFORE = frozenset({"ماه"})
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
#: Words that may join a neighbour when written apart.
AFFIXES = PREFIXES | SUFFIXES


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


class Columns(NamedTuple):
    """The terms of a text, column by column: what the analyzers read without a tuple per term.

    ``parts`` maps the index of each compound that has parts to its parts.
    """

    texts: list[str]
    starts: list[int]
    ends: list[int]
    parts: dict[int, tuple[str, ...]]


def _columns(folded: str, offsets: bool = True) -> Columns:
    """The terms of folded text, space-separated prefixes and suffixes joined to their word.

    The same terms as ``_scan``, the rule written token by token, but this is the hot
    loop of a reindex, so most of it runs in C: ``re.split`` cuts the text into runs of
    tokens one space apart and the gaps between them, ``str.split`` cuts the runs into
    tokens, and (when ``offsets``) their offsets are running sums of lengths. Most tokens
    are terms by themselves. A ZWNJ compound only needs its ZWNJs dropped and its parts
    found. A token can only join its neighbours when it is odd: an affix (in ``AFFIXES``,
    once ZWNJs are dropped) or a token holding an ignorable; the tokens around odd ones go
    through ``_join``, the rule again, word by word. Without ``offsets`` the starts and
    ends are left empty (the index needs none).
    """
    # Latin terms are lowercase (Persian has no case). Lowering the whole text is one pass in C
    # and gives the same words as lowering each word when no character changes length (only
    # «İ» does) or class (none does: a test checks every character), and no «Σ» is in it:
    # whether it becomes «σ» or «ς» depends on the characters around it.
    lowered = folded.lower()
    lower_each = False
    if lowered != folded:
        if len(lowered) == len(folded) and CAPITAL_SIGMA not in folded:
            folded = lowered
        else:
            lower_each = True
    pieces = _RUNS.split(folded)
    runs = pieces[1::2]
    if not runs:
        return Columns([], [], [], {})
    written = " ".join(runs).split(" ")
    words = list(map(str.lower, written)) if lower_each else written
    if IGNORABLE in folded:
        special = [i for i, word in enumerate(words) if word in AFFIXES or ZWNJ in word or IGNORABLE in word]
    else:
        special = [i for i, word in enumerate(words) if word in AFFIXES or ZWNJ in word]
    parts: dict[int, tuple[str, ...]] = {}
    # An odd word decides about its neighbours only (a prefix takes the next word, a
    # suffix joins the previous one): the stretch from the word before it to the word
    # after it, merged with the next odd word's stretch when they overlap.
    stretches: list[list[int]] = []
    last = len(words) - 1
    raw = written.copy() if special and words is written else written  # for ``_join`` and offsets
    for i in special:
        word = words[i]
        if ZWNJ in word and IGNORABLE not in word:
            pieces_of_word = word.split(ZWNJ)  # none empty: ZWNJs stand between letters
            joined = "".join(pieces_of_word)
            if joined not in AFFIXES:  # a ZWNJ compound: ``_parts``, inlined
                words[i] = joined
                kept = [piece for piece in pieces_of_word if piece not in AFFIXES]
                if kept:
                    parts[i] = tuple(kept)
                continue
        if stretches and i - 1 <= stretches[-1][1]:
            stretches[-1][1] = min(i + 1, last)
        else:
            stretches.append([max(i - 1, 0), min(i + 1, last)])
    if not stretches and not offsets:
        return Columns(words, [], [], parts)
    # The gap before each word that starts a run (inside a run the gap is one space).
    gaps = dict(zip(_run_starts(runs, len(words)), pieces[0::2], strict=True))
    starts: list[int] = []
    ends: list[int] = []
    if offsets:
        lengths = [1] * (2 * len(words))  # gap, word, gap, word, ...: a gap in a run is a space
        lengths[1::2] = map(len, raw)
        for i, gap in gaps.items():
            if i < len(words):
                lengths[2 * i] = len(gap)
        ends_of_pieces = list(accumulate(lengths))
        starts, ends = ends_of_pieces[0::2], ends_of_pieces[1::2]
    if not stretches:
        return Columns(words, starts, ends, parts)
    return _with_stretches(raw, gaps, Columns(words, starts, ends, parts), stretches, offsets)


def _run_starts(runs: list[str], words: int) -> list[int]:
    """The index of the first word of each run, then ``words`` (the first word after them).

    >>> _run_starts(["a b", "c", "d e f"], 6)
    [0, 2, 3, 6]
    """
    if len(runs) == words:  # one word per run
        return list(range(words + 1))
    return list(accumulate(map(add, map(str.count, runs, repeat(" ")), repeat(1)), initial=0))


def _with_stretches(
    raw: list[str], gaps: dict[int, str], columns: Columns, stretches: list[list[int]], offsets: bool
) -> Columns:
    """``columns`` with the words of each stretch replaced by their terms by ``_join``."""
    words, starts, ends, parts = columns
    texts: list[str] = []
    out_parts: dict[int, tuple[str, ...]] = {}
    firsts: list[int] = []  # the word each term starts with (for offsets)
    lasts: list[int] = []  # and ends with
    compounds = [*parts.items(), (len(words), ())]  # in the order of the words; a sentinel
    k = 0
    done = 0  # the words before this index have their terms
    for first, end in [*stretches, [len(words), len(words)]]:  # the sentinel copies the words left
        shift = len(texts) - done
        texts.extend(words[done:first])
        if offsets:
            firsts.extend(range(done, first))
            lasts.extend(range(done, first))
        while compounds[k][0] < first:
            out_parts[compounds[k][0] + shift] = compounds[k][1]
            k += 1
        if first == len(words):
            break
        while compounds[k][0] <= end:
            k += 1  # in the stretch: _join finds it again
        for text, term_parts, i, j in _join(raw, gaps, first, end):
            if term_parts:
                out_parts[len(texts)] = term_parts
            texts.append(text)
            firsts.append(i)
            lasts.append(j)
        done = end + 1
    if not offsets:
        return Columns(texts, [], [], out_parts)
    return Columns(texts, list(map(starts.__getitem__, firsts)), list(map(ends.__getitem__, lasts)), out_parts)


def _join(words: list[str], gaps: dict[int, str], first: int, end: int) -> list[tuple[str, tuple[str, ...], int, int]]:
    """``_scan`` over the words ``first`` to ``end`` (as written; ``gaps`` holds the gap before a
    word when it is not one space): each term with its parts and the words it starts and ends with."""
    terms: list[tuple[str, tuple[str, ...], int, int]] = []
    held: list[str] = []  # the ZWNJ-separated pieces of the held Persian word
    held_first = held_last = 0
    prefix = False  # the held word is a lone prefix that has not taken its word yet
    for j in range(first, end + 1):
        raw = text = words[j]
        if IGNORABLE in text:
            text = text.replace(IGNORABLE, "")
            if not text.replace(ZWNJ, ""):
                continue  # its ignorables stay in the gap: nothing joins across it
        if raw[0] not in _FA_CHARS:
            if held:
                terms.append(_held(held, held_first, held_last))
                held = []
            terms.append((text.lower(), (), j, j))
            continue
        if ZWNJ in text:
            word_pieces = [p for p in text.split(ZWNJ) if p]
            joined = "".join(word_pieces)
        else:
            word_pieces, joined = [text], text
        month = False  # «می» after «ماه»
        if held:
            joinable = j == held_last + 1 and (
                (gap := gaps.get(j, " ")) == " " or _JOINABLE_GAP.fullmatch(gap) is not None
            )
            if (prefix or joined in SUFFIXES) and joinable:
                held += word_pieces
                held_last = j
                prefix = False
                continue
            month = joinable and len(held) == 1 and held[0] in MONTH_BEFORE
            if len(held) == 1:
                terms.append((held[0], (), held_first, held_last))
            else:
                terms.append(_held(held, held_first, held_last))
        held, held_first, held_last = word_pieces, j, j
        prefix = joined in PREFIXES and len(word_pieces) == 1 and not month
    if held:
        terms.append(_held(held, held_first, held_last))
    return terms


def _held(pieces: list[str], first: int, last: int) -> tuple[str, tuple[str, ...], int, int]:
    if len(pieces) == 1:
        return pieces[0], (), first, last
    return "".join(pieces), _parts(pieces), first, last


def _scan(folded: str, pos: int = 0, endpos: int | None = None) -> list[Term]:
    """The terms of ``folded[pos:endpos]``, token by token: the rule, as plainly as it is said
    (``_columns`` gives the same terms faster; the tests hold them to it).

    A Persian word is held until the next token shows whether it attaches. A lone
    prefix takes the next Persian word («می توانیم»); any Persian word takes the
    suffixes that follow it («کتاب ها», «رفته اند»); only spaces and ZWNJs may stand
    between them. ``pos`` and ``endpos`` must fall between tokens.
    """
    terms: list[Term] = []
    emit = terms.append
    gap = _JOINABLE_GAP.fullmatch
    held: list[str] = []  # the ZWNJ-separated pieces of the held Persian word
    held_start = held_end = 0
    prefix = False  # the held word is a lone prefix that has not taken its word yet
    for match in _TOKEN.finditer(folded, pos, len(folded) if endpos is None else endpos):
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
        month = False  # «می» after «ماه»
        if held:
            joinable = gap(folded, held_end, start) is not None
            if (prefix or joined in SUFFIXES) and joinable:
                held += pieces
                held_end = end
                prefix = False
                continue
            month = joinable and len(held) == 1 and held[0] in MONTH_BEFORE
            if len(held) == 1:
                emit(_new_term(Term, (held[0], held_start, held_end, ())))
            else:
                emit(_term(held, held_start, held_end))
        held, held_start, held_end = pieces, start, end
        prefix = joined in PREFIXES and len(pieces) == 1 and not month
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
    words = tuple([p for p in pieces if p not in AFFIXES])
    return words if words and words != ("".join(pieces),) else ()


def term_columns(text: str, offsets: bool = True) -> Columns:
    """The terms of ``text`` with offsets into ``text`` itself (none without ``offsets``), as ``Columns``.

    >>> term_columns("کتاب ها ﻻ")
    Columns(texts=['کتابها', 'لا'], starts=[0, 8], ends=[7, 9], parts={0: ('کتاب',)})
    """
    folded, original = fold_with_offsets(text)
    columns = _columns(folded, offsets)
    if original is None or not offsets:
        return columns
    starts = [original[start] for start in columns.starts]
    ends = [original[end - 1] + 1 for end in columns.ends]
    return Columns(columns.texts, starts, ends, columns.parts)


def word_tokens(text: str) -> list[Term]:
    """The terms of ``text`` with offsets into ``text`` itself.

    >>> word_tokens("ﻻ ۱۲")
    [Term(text='لا', start=0, end=1, parts=()), Term(text='12', start=2, end=4, parts=())]
    """
    texts, starts, ends, compounds = term_columns(text)
    parts: list[tuple[str, ...]] = [()] * len(texts)
    for i, compound in compounds.items():
        parts[i] = compound
    return list(map(_new_term, repeat(Term), zip(texts, starts, ends, parts, strict=True)))
