"""The search path's fast paths give what the plain rule gives, on fixed and made-up input.

- ``search.snippets._spans``, the hot loop of a results page, against the rule written word
  by word (``_plain_spans``, the code it replaced);
- ``search.snippets.snippet``, which cleans for display only the start of a long text that it
  reads, against the snippet of the whole text cleaned (``_whole_text_snippet``, the code it replaced);
- ``search.engine.feedback_stems`` (what relevance feedback reads of its top articles) against
  the stem analyzer's tokens that are not compound parts, the code it replaced;
- ``search.suggest.correct`` skips the edits that cannot beat the word as typed: against
  trying every edit;
- ``backends.whoosh.scorer``'s positions of a phrase's words, all of a term's decoded in one call
  (``decode_many``, ``_read_positions``), against Whoosh's decoding, posting by posting; and read
  from a segment's side file (``backends.whoosh.positions``), against Whoosh's matcher, with
  deletions, several segments, an index without side files, its upgrade and an incremental reindex.
"""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import CORPUS
from hypothesis import example, given, settings
from hypothesis import strategies as st
from whoosh import fields as whoosh_fields
from whoosh import query as q
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher

from backends.whoosh import positions, scorer
from backends.whoosh.lower import weighting
from backends.whoosh.positions import decode_many
from backends.whoosh.positions import read_positions as _read_positions
from backends.whoosh.scorer import _read_postings
from backends.whoosh.store import current_generation, open_index
from indexer.analysis import stem_analyzer
from indexer.build import reindex
from indexer.stem import Stemmer, get_stemmer
from indexer.tokenize import term_columns
from search import snippets, suggest
from search.display import display_text
from search.engine import feedback_stems
from search.snippets import (
    _SENTENCE_BREAK,
    ELLIPSIS,
    FUNCTION_WORDS,
    MAX_ANALYSED,
    MAX_CHARS,
    Wanted,
    _best,
    _head,
    _merged,
    _plain,
    _Span,
)
from search.syntax import parse_query
from tests.test_scorer import sample_phrases

STEM = get_stemmer("lexicon")
SAMPLE = CORPUS / "sample-news.jsonl"


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


# --- snippets of long texts: only their start is cleaned for display ----------------------------


def _whole_text_snippet(text: str, want: Wanted, stemmer: Stemmer) -> str:
    """``snippet`` as it was: the whole text cleaned for display, its window cut from the whole."""
    text = display_text(text)
    spans = snippets._spans(text, want, stemmer) if want else []
    if not spans:
        return _head(text)
    first, last = _best(spans)
    start, end = spans[first].start, spans[last].end
    if len(text) <= snippets.MAX_CHARS:
        begin, stop = 0, len(text)
    else:
        begin = max(0, start - snippets.CONTEXT)
        breaks = list(_SENTENCE_BREAK.finditer(text, begin, start))
        if breaks:
            begin = breaks[-1].end()
        elif begin > 0:
            space = text.find(" ", begin, start)
            begin = space + 1 if space >= 0 else start
        stop = max(end, begin + MAX_CHARS)
        if stop < len(text):
            space = text.rfind(" ", end, stop + 1)
            stop = space if space >= 0 else stop
        stop = min(stop, len(text))
    pieces = [ELLIPSIS + " "] if begin > 0 else []
    at = begin
    for span in spans:
        if span.start < begin or span.end > stop:
            continue
        pieces += [_plain(text[at : span.start]), f"<mark>{_plain(text[span.start : span.end])}</mark>"]
        at = span.end
    pieces.append(_plain(text[at:stop]))
    if stop < len(text.rstrip()):
        pieces.append(" " + ELLIPSIS)
    return "".join(pieces).strip()


# Words, Arabic letters, no-break spaces (a ZWNJ inside a word, a space elsewhere) and white
# space, to stand around the end of what a snippet analyses and at the end of the text.
TAIL = ["کتاب", "كتاب", "ها", "خانه", "\u00a0", "\u202f", "\u200b", " ", "\n", ". ", "تهران", "ي", "۱۲", "\u00a0 "]


@given(
    st.integers(MAX_ANALYSED - 400, MAX_ANALYSED + MAX_CHARS + 40),
    st.lists(st.sampled_from(TAIL), max_size=120),
    st.sampled_from(["کتاب", "خانه تهران", '"کتاب ها"', "نهنگ", "ها"]),
)
@settings(max_examples=30)  # each example analyses 10,000 characters twice
@example(MAX_ANALYSED - 30, [" ", "کتاب", " "] + ["خانه", "\u00a0"] * 60 + ["\u00a0"] * 3, "کتاب")  # window past it
@example(MAX_ANALYSED - 30, [" ", "کتاب", " "] + ["خانه", " "] * 22 + ["\u00a0", "\u202f"], "کتاب")  # ends in it
@example(MAX_ANALYSED - 3, ["کتاب", "\u00a0", "ها"] * 90 + ["\u00a0"] * 5, "کتاب")
@example(MAX_ANALYSED + MAX_CHARS - 2, ["كتاب", "\u00a0", "خانه", "\u00a0 ", "\u202f"], "خانه تهران")
def test_snippets_of_long_texts_are_those_of_the_whole_text_cleaned(filler: int, tail: list[str], query: str) -> None:
    text = ("نفت و گاز " * (filler // 10 + 1))[:filler] + "".join(tail)
    want = snippets.wanted(parse_query(query).clauses, STEM)
    assert snippets.snippet(text, want, STEM) == _whole_text_snippet(text, want, STEM)


def test_snippets_of_the_sample_corpus_are_those_of_the_whole_text_cleaned() -> None:
    articles = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, article in enumerate(articles):
        text = f"{article['lead']}\n\n{article['body']}" if article.get("lead") else article["body"]
        titled = [article["title"], " ".join(article["title"].split()[-2:])]
        for query in [*QUERIES, *titled]:
            want = snippets.wanted(parse_query(query).clauses, STEM)
            assert snippets.snippet(text, want, STEM) == _whole_text_snippet(text, want, STEM)
        if number % 4:
            continue  # a long text is a tenth of a second of each: a few are enough
        long_text = (text + "\n\n") * (MAX_ANALYSED // max(1, len(text)) + 2)  # past what a snippet reads
        for query in titled:
            want = snippets.wanted(parse_query(query).clauses, STEM)
            for shown in (long_text, long_text[: MAX_ANALYSED + 100]):
                assert snippets.snippet(shown, want, STEM) == _whole_text_snippet(shown, want, STEM)


# --- feedback: the stems of its top articles, read without Whoosh tokens -------------------------


def _analyzer_stems(text: str) -> list[str]:
    return [token.text for token in stem_analyzer("lexicon")(text) if not token.part]


def test_feedback_stems_are_the_stem_analyzers_terms_on_the_sample_corpus() -> None:
    articles = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [*TEXTS, *("\n\n".join(a.get(k) or "" for k in ("title", "lead", "body")) for a in articles)]
    assert len(texts) > 10
    for text in texts:
        assert feedback_stems(text, STEM) == _analyzer_stems(text)


@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=40))
@settings(max_examples=50)
@example([("همه", "\u200c"), ("جانبه", " "), ("کتاب", "\u200c"), ("ها", " ")])
def test_feedback_stems_are_the_stem_analyzers_terms_on_made_up_texts(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in pieces)
    assert feedback_stems(text, STEM) == _analyzer_stems(text)


# --- spelling: the edits ``correct`` skips could not have won -----------------------------------


def _correct_trying_every_edit(term: str, lex: suggest.Lexicon) -> str | None:
    unbounded = suggest.Lexicon.from_counts(lex.terms, lex.stems, lex.documents)
    unbounded._most = 10**18  # no stage of edits can be ruled out
    return suggest.correct(term, unbounded)


LETTERS = "ابتسصثزذکگیئوهحرنم"


@given(
    st.text(LETTERS, min_size=3, max_size=7),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 6), st.sampled_from(LETTERS), st.integers(1, 5000))),
    st.integers(0, 5000),
    st.sampled_from([100, 5_000, 100_000]),
)
@example("کرنا", [(2, 2, "و", 1324)], 3, 12_000)  # «کرونا» for «کرنا» (tests/test_reading.py)
def test_correct_skips_only_edits_that_cannot_win(
    term: str, edits: list[tuple[int, int, str, int]], typed: int, documents: int
) -> None:
    counts = {term: typed} if typed else {}
    for kind, at, letter, count in edits:  # words of the index one edit (or a split) from the term
        at = min(at, len(term) - 1)
        word = [term[:at] + letter + term[at + 1 :], term[:at] + term[at + 1 :], term[:at] + letter + term[at:],
                term[:at] + " " + term[at:]][kind]  # fmt: skip
        for part in word.split(" "):
            counts[part] = count
    lex = suggest.Lexicon.from_counts(counts, {}, documents)
    assert suggest.correct(term, lex) == _correct_trying_every_edit(term, lex)


def test_correct_of_a_common_word_makes_no_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    stages = tuple((lambda word, stage=stage: made.extend(stage(word)) or iter(()), cost)
                   for stage, cost in suggest._EDIT_STAGES)  # fmt: skip
    monkeypatch.setattr(suggest, "_EDIT_STAGES", stages)
    lex = suggest.Lexicon.from_counts({"کتاب": 900, "کباب": 1000, "کتان": 3}, {}, 1000)
    assert suggest.correct("کتاب", lex) is None and made == []  # 900 of 1,000 articles: nothing can beat it
    suggest.correct("کتان", lex)
    assert "کتاب" in made  # 3 articles: the edits are made


# --- positions of a phrase's words (backends/whoosh/positions.py) ----------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=40, unique=True).map(sorted), max_size=30))
@example([[46], [0, 46, 92], list(range(0, 2600, 2))])  # «.» (46) as a delta; a list pickled in batches
def test_decode_many_is_whooshs_decoding_value_by_value(positions: list[list[int]]) -> None:
    values = [Positions().encode(p) for p in positions]
    for stored in (values, [v[:-1] for v in values]):  # with and without the pickle's final STOP
        counts, flat = decode_many(Positions(), stored)
        assert counts.tolist() == [len(p) for p in positions]
        assert flat.tolist() == [x for v in stored for x in Positions().decode_positions(v)]


def test_read_positions_and_postings_are_whooshs() -> None:
    """Over several posting blocks, positions of the wanted documents only; a deleted document is
    read as before (the scorer leaves it out through ``Columns.live``)."""
    schema = whoosh_fields.Schema(text=whoosh_fields.TEXT(phrase=True))
    index = RamStorage().create_index(schema)
    words = ["باران", "برف", "باد", "ابر"]
    with index.writer() as writer:
        for n in range(700):  # blocks of 128 postings: the common word spans six
            text = " ".join(words[(n * k + k) % 4] for k in range(n % 23 + 1))
            # weights by block: all 1.0 (none stored), all 2.0 (one stored), each its own
            once, twice = ("آسمان" if n < 300 else ""), ("ماه ماه" if n >= 500 else "")
            writer.add_document(text=f"باران {text} باران {once} {twice}")
    with index.writer() as writer:
        writer.delete_document(5)
    with index.reader() as reader:
        wanted = np.zeros(reader.doc_count_all(), dtype=np.bool_)
        wanted[[0, 3, 5, 127, 128, 129, 400, 401, 699]] = True
        wanted[250:260] = True
        # the other documents next: from blocks read the first time (``POSITIONS``) and new ones
        for word, mask in [(w, m) for m in (wanted, ~wanted) for w in [*words, "آسمان", "ماه", "آفتاب"]]:
            docs, positions = _read_positions(reader, "text", word, mask)
            ids, weights = _read_postings(reader, "text", word)
            expected, postings = [], []
            if ("text", word) in reader:
                matcher = reader.postings("text", word)
                matcher = matcher.child if isinstance(matcher, FilterMatcher) else matcher
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight()))
                    if mask[matcher.id()]:
                        expected += [(matcher.id(), p) for p in matcher.value_as("positions")]
                    matcher.next()
            assert list(zip(docs.tolist(), positions.tolist(), strict=True)) == expected, word
            assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == postings, word
            assert word == "آفتاب" or expected  # every word of the text was found somewhere


# --- phrase positions read from a segment's side file (backends/whoosh/positions.py) -------------


def _whooshs_positions(reader: Any, word: str, mask: Any) -> list[tuple[int, int]]:
    """(document, position) of ``word`` in the ``mask`` documents, as Whoosh's own matcher gives them."""
    expected: list[tuple[int, int]] = []
    if ("text", word) in reader:
        matcher = reader.postings("text", word)
        matcher = matcher.child if isinstance(matcher, FilterMatcher) else matcher
        while matcher.is_active():
            if mask[matcher.id()]:
                expected += [(matcher.id(), p) for p in matcher.value_as("positions")]
            matcher.next()
    return expected


@pytest.mark.parametrize("min_docs", [1, 40])
def test_side_files_give_whooshs_positions(tmp_path: Path, min_docs: int) -> None:
    """Three segments, a document deleted in two of them: every word's positions in the wanted
    documents, read from the side files (every word with ``min_docs`` 1; the common ones only with
    40, the others from Whoosh's postings), are what Whoosh's matcher gives."""
    schema = whoosh_fields.Schema(text=whoosh_fields.TEXT(phrase=True))
    index = FileStorage(str(tmp_path)).create_index(schema)
    words = ["باران", "برف", "باد", "ابر", "مه"]
    for segment in range(3):
        with index.writer(merge=False) as writer:
            for n in range(150 + 60 * segment):  # the common words span blocks of 128 postings
                text = " ".join(words[(n * k + k + segment) % 5] for k in range(n % 19 + 1))
                writer.add_document(text=f"باران {text} {'آسمان' if n % 7 == segment else ''} باران")
    with index.writer(merge=False) as writer:
        writer.delete_document(5)
        writer.delete_document(400)
    assert positions.write(tmp_path, min_docs) == 3
    assert positions.write(tmp_path, min_docs) == 0  # each segment has one: none written again
    positions.SIDES.clear()
    rng = np.random.default_rng(7)
    with index.reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 3 and reader.has_deletions()
        for leaf in leaves:
            side = positions.side_file(leaf)
            assert side is not None
            held = {term for _, term in side.terms}
            assert ("آسمان" in held) == (min_docs == 1) and "باران" in held
            for mask in (np.ones(leaf.doc_count_all(), np.bool_), rng.random(leaf.doc_count_all()) < 0.2):
                for word in [*words, "آسمان", "آفتاب"]:
                    docs, found = _read_positions(leaf, "text", word, mask)
                    expected = _whooshs_positions(leaf, word, mask)
                    assert list(zip(docs.tolist(), found.tolist(), strict=True)) == expected, word
                    assert word == "آفتاب" or expected


@pytest.mark.parametrize("side_files", [False, True])
@pytest.mark.parametrize("leading", [3, 130])
def test_leading_deleted_documents_are_masked_on_both_paths(tmp_path: Path, side_files: bool, leading: int) -> None:
    """A segment whose first ``leading`` documents are deleted. Whoosh's deleted-documents filter has
    moved its matcher to the first live document's posting before the scorer unwraps it, and blocks are
    read whole: the deleted documents of a block wholly before it are left out (130: the first block
    of 128 postings), those of its own block and later ones read. On either path (side file or
    Whoosh's postings) the live documents' postings and positions are what Whoosh's own filtered
    matcher gives, and a phrase at the start of every document matches only live ones
    (``Columns.live``), as Whoosh's phrase matcher does."""
    schema = whoosh_fields.Schema(text=whoosh_fields.TEXT(phrase=True))
    index = FileStorage(str(tmp_path)).create_index(schema)
    words = ["باران", "برف", "باد", "ابر"]
    with index.writer() as writer:
        for n in range(300):  # three blocks of 128 postings for the words every document holds
            text = " ".join(words[(n * k + k) % 4] for k in range(n % 11 + 1))
            writer.add_document(text=f"باران برف {text}")
    deleted = [*range(leading), 200]
    with index.writer() as writer:
        for n in deleted:
            writer.delete_document(n)
    assert positions.write(tmp_path, 1 if side_files else 10**6) == 1  # 10**6: no term in the file
    positions.SIDES.clear()
    positions.POSITIONS.clear()
    with index.searcher(weighting=weighting()) as searcher:
        [(leaf, _)] = list(searcher.reader().leaf_readers())
        assert sorted(d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)) == deleted
        live = np.ones(leaf.doc_count_all(), np.bool_)
        live[deleted] = False
        for word in words:
            docs, found = _read_positions(leaf, "text", word, np.ones_like(live))
            ids, weights = _read_postings(leaf, "text", word)
            matcher = leaf.postings("text", word)  # filtered: live documents only
            expected, postings = [], []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight()))
                expected += [(matcher.id(), p) for p in matcher.value_as("positions")]
                matcher.next()
            kept = live[docs]
            assert list(zip(docs[kept].tolist(), found[kept].tolist(), strict=True)) == expected, word
            assert list(zip(ids[live[ids]].tolist(), weights[live[ids]].tolist(), strict=True)) == postings, word
            if word == "باران":  # in every document: what the comments at the unwrapping say
                read = {n for n in deleted if n >= 128 * (leading // 128)}
                assert set(docs[~kept].tolist()) == set(ids[~live[ids]].tolist()) == read
        score = scorer.Scorer(searcher, scorer.Columns(searcher), 0.75, 1.2)
        for phrase in (q.Phrase("text", ["باران", "برف"]), q.Phrase("text", ["برف", "باد"])):
            matched = np.flatnonzero(score.evaluate(phrase).mask).tolist()
            assert matched == sorted(phrase.docs(searcher)), phrase
            assert phrase.words[0] != "باران" or matched[0] == leading  # every live document's start


def test_a_side_file_is_written_in_at_most_its_size_and_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk a side file takes while written, seen after each copy of a temporary part into it (the
    moments the parts and the file are largest): at most the file's size and its documents array
    (4 bytes a posting: at most 4/3 of the file), as docs/reliability.md says. Words once a document
    make the arrays of documents and counts as large as the positions: the parts kept to the end
    took 1.65x."""
    schema = whoosh_fields.Schema(text=whoosh_fields.TEXT(phrase=True))
    index = FileStorage(str(tmp_path)).create_index(schema)
    with index.writer() as writer:
        for n in range(3000):
            writer.add_document(text=f"باران برف {'باد' if n % 2 else 'ابر'} مه{n % 40}")
    seen: list[int] = []
    copy = shutil.copyfileobj

    def copy_and_look(source: Any, target: Any) -> None:
        copy(source, target)
        target.flush()
        seen.append(sum(f.stat().st_size for f in tmp_path.glob(".kvpos-*/*")))

    monkeypatch.setattr(positions.shutil, "copyfileobj", copy_and_look)
    assert positions.write(tmp_path, 1) == 1
    [side] = tmp_path.glob(f"*{positions.SUFFIX}")
    file = positions.SideFile(side)
    size, postings = side.stat().st_size, len(file.docs)
    assert len(seen) == 2 and postings == len(file.positions)  # one position a posting
    assert max(seen) <= size + 4 * postings <= 4 * size / 3, (seen, size)
    assert not list(tmp_path.glob(".kvpos-*"))  # the temporary folder is gone


def _side_files(index_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in current_generation(index_dir).glob(f"*{positions.SUFFIX}")}


def _phrase_matches(index_dir: Path) -> list[tuple[list[str], list[int]]]:
    """Every sample phrase's matches by the scorer, each checked against Whoosh's phrase matcher."""
    positions.SIDES.clear()
    positions.POSITIONS.clear()
    index, _ = open_index(index_dir)
    found = []
    with index.searcher(weighting=weighting()) as searcher:
        score = scorer.Scorer(searcher, scorer.Columns(searcher), 0.75, 1.2)
        for words in sample_phrases(searcher)[:200]:
            phrase = q.Phrase("text", words)
            matched = np.flatnonzero(score.evaluate(phrase).mask).tolist()
            assert matched == sorted(phrase.docs(searcher)), words
            found.append((words, matched))
    assert sum(bool(m) for _, m in found) > 40  # phrases that match, or it proves little
    return found


def test_an_index_without_side_files_answers_the_same_and_a_reindex_adds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An index from before side files (removed here) answers through Whoosh's postings; a reindex
    with nothing changed writes them, the same bytes a fresh build wrote; an incremental reindex that
    changes a file (documents deleted and added: a new segment) leaves exactly one for each segment.
    A file cut short is named in the log and passed over."""
    monkeypatch.setattr(positions, "MIN_DOCS", 2)  # the sample corpus is small: most words in files
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)  # the repository's corpus/, wherever pytest runs from
    index_dir = tmp_path / "index"
    reindex([corpus], index_dir)
    fresh = _side_files(index_dir)
    assert fresh and all(b"\xd8" in data for data in fresh.values())  # Persian terms in the table
    read, answered = positions.SideFile.read, []

    def counted(self: positions.SideFile, *args: Any) -> Any:
        found = read(self, *args)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(positions.SideFile, "read", counted)
    answers = _phrase_matches(index_dir)
    assert sum(answered) > 200  # most words' positions came from the side files
    for path in current_generation(index_dir).glob(f"*{positions.SUFFIX}"):
        path.unlink()  # as an older Kavosh left the index
    assert _phrase_matches(index_dir) == answers
    reindex([corpus], index_dir)  # nothing changed: the upgrade
    assert _side_files(index_dir) == fresh
    assert _phrase_matches(index_dir) == answers

    jsonl = corpus / "sample-news.jsonl"
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    jsonl.write_text("\n".join(lines[3:] + lines[:1]) + "\n", encoding="utf-8")  # two removed, one kept
    reindex([corpus], index_dir)
    generation = current_generation(index_dir)
    segments = {p.stem for p in generation.glob("*.seg")} | {p.stem for p in generation.glob("*.pst")}
    assert {p.stem for p in generation.glob(f"*{positions.SUFFIX}")} == segments and len(segments) >= 1
    _phrase_matches(index_dir)

    side = sorted(generation.glob(f"*{positions.SUFFIX}"))[0]
    side.write_bytes(side.read_bytes()[:-3])
    with caplog.at_level("WARNING", logger="backends.whoosh.scorer"):
        _phrase_matches(index_dir)
    assert str(side) in caplog.text and "not a whole positions side file" in caplog.text



def test_positions_imports_nothing_of_the_scorer() -> None:
    """The import goes one way: the scorer reads phrase positions through ``positions``, which
    imported the scorer back (late, inside a function) to read Whoosh's postings."""
    import ast

    import backends.whoosh.blocks
    import backends.whoosh.positions

    for module in (backends.whoosh.positions, backends.whoosh.blocks):
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {name for name in imported if name.endswith("scorer")}, module.__name__
