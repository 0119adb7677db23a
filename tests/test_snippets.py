"""``search.snippets._spans`` is the hot loop of a results page: held here to the rule written
word by word (``_plain_spans``, the code it replaced), on fixed texts and on made-up ones."""

from __future__ import annotations

import string

from hypothesis import example, given
from hypothesis import strategies as st

from indexer.stem import Stemmer, get_stemmer
from indexer.tokenize import term_columns
from search import snippets
from search.snippets import FUNCTION_WORDS, MAX_ANALYSED, Wanted, _merged, _Span
from search.syntax import parse_query

STEM = get_stemmer("lexicon")


def _plain_spans(text: str, want: Wanted, stemmer: Stemmer) -> list[_Span]:
    """The spans as the rule says them, one word at a time."""
    texts, starts, ends, parts = term_columns(text[:MAX_ANALYSED])
    stems = stemmer.many(list(texts))
    words = want.words
    match: list[int | None] = []
    for i, stem in enumerate(stems):
        n = words.get(stem)
        if n is None and texts[i] in words:
            n = words[texts[i]]
        elif n is None and i in parts:  # a compound holding a query word
            part_stems = stemmer.many([p for p in parts[i] if p not in FUNCTION_WORDS])
            n = next((words[p] for p in part_stems if p in words), None)
        match.append(n)
    only_function = want.function_words >= set(want.words.values())
    spans: list[_Span] = []
    i = 0
    while i < len(match):
        if match[i] is None:
            i += 1
            continue
        j = i  # a run: matched words with only spaces or ZWNJs between them
        while j + 1 < len(match) and match[j + 1] is not None and not text[ends[j] : starts[j + 1]].strip(" \u200c"):
            j += 1
        first, last = i, j
        if not only_function:
            while first <= last and match[first] in want.function_words:
                first += 1
            while last >= first and match[last] in want.function_words:
                last -= 1
        concepts = {
            n for n in match[first : last + 1] if n is not None and (n not in want.function_words or only_function)
        }
        if concepts:
            spans.append(_Span(starts[first], ends[last], first, last, concepts))
        i = j + 1
    for phrase in want.phrases:
        for i in range(len(stems) - len(phrase) + 1):
            if tuple(stems[i : i + len(phrase)]) == phrase:
                spans.append(
                    _Span(starts[i], ends[i + len(phrase) - 1], i, i + len(phrase) - 1, {words[phrase[0]]}, True)
                )
    return _merged(sorted(spans, key=lambda s: (s.start, -s.end)))


def _same(text: str, query: str) -> None:
    want = snippets.wanted(parse_query(query).clauses, STEM, lambda t: [("هیات", "هیات")] if t == "هیئت" else [])
    assert snippets._spans(text, want, STEM) == _plain_spans(text, want, STEM)


TEXTS = [
    "کتاب‌ها و كتابخانه های همه‌جانبه در تهران، سفر به شمال در «مرگ و میر» نهنگ ها.",
    "هیات دولت و هیئت مدیره به خانه رفت و به مدرسه؛ همه جانبه. می توانیم کتاب ها را بخوانیم",
    "صادرات نفت خام و قیمت نفت خام\n\nصادرات  نفت\u200cخام ۱۲ درصد covid-19 Elections",
]
QUERIES = ["کتاب در تهران", '"به خانه"', "جانبه", "سفر به شمال در", '"صادرات نفت" خام', "هیئت -دولت", "به در", "نهنگ"]


def test_spans_follow_the_rule_on_fixed_texts() -> None:
    for text in TEXTS:
        for query in QUERIES:
            _same(text, query)


WORDS = ["کتاب", "ها", "های", "همه", "جانبه", "به", "در", "و", "خانه", "نفت", "خام", "می", "رفت", "هیئت", "هیات",
         "صادرات", "ماه", "تهران", "را", "abc", "۱۲"]  # fmt: skip
GAPS = [" ", " ", " ", "\u200c", "  ", "، ", ". ", "\n", " «", "» "]


@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=40),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.booleans(),
)
@example([("کتاب", "\u200c"), ("ها", " "), ("کتاب", " ")], ["کتاب", "ها"], True)
def test_spans_follow_the_rule_on_made_up_texts(pieces: list[tuple[str, str]], query: list[str], phrase: bool) -> None:
    text = "".join(word + gap for word, gap in pieces)
    words = " ".join(w for w in query if w not in string.punctuation)
    _same(text, f'"{words}"' if phrase else words)
