"""Turn parsed clauses and filters into a query of analysed terms (``backends.base``). Pure: runs nothing.

Free words are *ranked*, not required: each word matches its exact form or
its stem, in the title or the text, and the scores of all the words add up, so
documents that match more of them score higher (AND-only matching loses most
relevant news). Phrases, fields and exclusions are constraints.

A word also matches its other spellings in the index (``variants``, from
``search.suggest``), a little below the spelling typed. ``feedback_terms`` and
``feedback_expansion`` build the second round of pseudo-relevance feedback,
which the engine runs. Each backend scores these queries with the same BM25.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from itertools import pairwise, product
from typing import Any

from backends.base import AllOf, AnyOf, Boosted, DateRange, Every, Excluding, Nothing, Phrase, Query, Term
from indexer.analysis import exact_analyzer, stem_analyzer
from indexer.metadata import facet_key
from indexer.stem import DEFAULT_STEMMER, compound_parts
from search.snippets import FUNCTION_WORDS
from search.syntax import Clause

#: Field weights. Whoosh scores each field with BM25 and adds them up, so a
#: short field scores high: title weights above ~0.3 lose relevant articles
#: to title-only matches (MAP 0.64 with title 2.0). The stem of the text does
#: the work; an exact form adds a bonus, so it outranks a stem-only match.
#: Measured on the Hamshahri dev queries (see docs/evaluation.md).
WEIGHTS = {"title": 0.05, "text": 0.2, "title_stem": 0.1, "text_stem": 1.0}
#: BM25 parameters (each field is scored with BM25 and the fields are summed).
#: No coordination or proximity bonus: with feedback they lowered MAP
#: (0.8570 without either, 0.8560 with both; see docs/evaluation.md).
BM25_B = 0.75
BM25_K1 = 1.2


#: Weight of the parts of a word the user typed with a ZWNJ that are not a compound's («نهنگ‌ها» ->
#: نهنگ, «ناامنی‌ها» -> ناامنی): the singular as written in the text, as an exact form. 5-fold
#: cross-validated MAP 0.8843 at 0.75 against 0.8809 at 0.5 (0.6-0.9: 0.8831-0.8843, query 45 +0.04-0.07;
#: 0.25 and 1.0 lose query 3 through what feedback learns, 0.865 / 0.862; docs/evaluation.md).
PART_WEIGHT = 0.75


@dataclass(frozen=True)
class Analyzed:
    """A clause's words as the index sees them."""

    exact: tuple[str, ...]
    stems: tuple[str, ...]
    parts: tuple[tuple[str, str], ...] = ()  # (exact, stem) of compound parts
    #: The parts of each word (aligned with ``exact``; empty for a simple word), and the
    #: (exact, stem) of each pair of neighbouring words written together («ایران خودرو» -> ایرانخودرو).
    groups: tuple[tuple[str, ...], ...] = ()
    joins: tuple[tuple[int, str, str], ...] = ()  # (index of the first word, exact, stem)

    def pairs(self) -> list[tuple[str, str]]:
        """(exact, stem) of each word."""
        return list(zip(self.exact, self.stems, strict=True))

    def compounds(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(exact, stem, parts) of each word written in two or more words' parts («هم‌زمان»)."""
        return [(e, s, g) for (e, s), g in zip(self.pairs(), self.groups, strict=True) if len(g) > 1]


@cache
def analyzers(stemmer: str = DEFAULT_STEMMER) -> tuple[Any, Any]:
    """The analyzers of the indexed text fields (surface forms, stems): index and query share them."""
    return exact_analyzer(), stem_analyzer(stemmer)


def analyze(stemmer: str, text: str) -> Analyzed:
    """Run query text through the same analyzers as the indexed fields."""
    exact_words, stems = analyzers(stemmer)

    def stem(word: str) -> str:
        return next(iter(stems(word, tokenize=False, mode="query"))).text  # type: ignore[no-any-return]

    exact: list[str] = []
    parts: list[tuple[str, str]] = []
    groups: list[list[str]] = []
    for token in exact_words(text, mode="query"):
        if token.part:
            parts.append((token.text, stem(token.text)))
            groups[-1].append(token.text)
        else:
            exact.append(token.text)
            groups.append([])
    for word, group in zip(exact, groups, strict=True):
        if not group:  # a compound written together («همزمان») may stand apart in the text
            group.extend(compound_parts(word))
    # a known compound written apart («هم زمان») is the compound, as written together
    i = 0
    while i + 1 < len(exact):
        pair = (exact[i], exact[i + 1])
        if not groups[i] and not groups[i + 1] and compound_parts("".join(pair)) == pair:
            exact[i : i + 2], groups[i : i + 2] = ["".join(pair)], [list(pair)]
        i += 1
    joins = tuple(
        (i, joined, stem(joined))
        for i, (first, second) in enumerate(pairwise(exact))
        if _persian(first) and _persian(second) and (joined := first + second) not in exact
    )
    return Analyzed(tuple(exact), tuple(stem(w) for w in exact), tuple(parts), tuple(map(tuple, groups)), joins)


def _persian(word: str) -> bool:
    return not word[:1].isascii() and not word.isdigit()


#: Other spellings of a term the index holds (``search.suggest.variants``).
Variants = Callable[[str], Sequence[tuple[str, str]]]
#: Weight of another spelling of a query word (هیات for هیئت): a little below
#: the spelling typed, so that it ranks first when both occur.
VARIANT_WEIGHT = 0.8
#: Whether an article that uses both spellings (آیین and آئین) scores the word twice, once for each.
#: False: another spelling counts only where the spelling typed is absent (one word, one score, as
#: Lucene's SynonymQuery blends spellings into one term). Dev MAP 0.8973 against 0.8894, but only
#: query 25 moves (0.14 -> 0.34: articles on «آئین» ceremonies that also write «آیین»), which
#: 5-fold cross-validation cannot see (0.8894 either way): kept as it was (docs/evaluation.md).
#: SynonymQuery itself (the spellings' tf summed, the larger df, one saturation; tried in Whoosh)
#: moves the same query only (0.15 -> 0.24).
VARIANTS_ADD_UP = True


def _word(
    exact: str,
    stem: str,
    fields: Sequence[str] = ("title", "text"),
    boost: float = 1.0,
    variants: Variants | None = None,
) -> Query:
    """One word, matched exactly or by stem (or as another spelling), in any of ``fields``."""
    others = [(e, s, boost * VARIANT_WEIGHT) for e, s in variants(exact)] if variants is not None else []
    typed = [(exact, stem, boost)]
    if not others:
        return _spellings(typed, fields)
    if VARIANTS_ADD_UP:  # each spelling scores where it occurs
        return _spellings(typed + others, fields)
    return AnyOf((_spellings(typed, fields), Excluding(_spellings(others, fields), _spellings(typed, fields))))


def _spellings(spellings: Sequence[tuple[str, str, float]], fields: Sequence[str]) -> Query:
    """Any of ``spellings`` ((word, stem, weight)) in any of ``fields``, their scores added up."""
    return AnyOf(tuple(term for word, stem, weight in spellings for term in _spelling(word, stem, fields, weight)))


def _spelling(word: str, stem: str, fields: Sequence[str], weight: float) -> list[Query]:
    """One spelling of a word, as itself and as its stem, in each of ``fields``."""
    found: list[Query] = []
    for name in fields:
        found.append(Term(name, word, WEIGHTS[name] * weight))
        found.append(Term(f"{name}_stem", stem, WEIGHTS[f"{name}_stem"] * weight))
    return found


def _phrase(words: Analyzed, fields: Sequence[str] = ("title", "text")) -> Query:
    """The words one after the other, however their compounds are spaced: as typed, with each
    compound together or in its parts («هم‌زمان» -> هم زمان), and with each pair of neighbours
    joined («هم زمان» -> همزمان)."""
    options: list[Query] = []
    if len(words.exact) == 1:
        options.append(_word(words.exact[0], words.stems[0], fields))
    else:
        options.extend(Phrase(name, words.exact, WEIGHTS[name]) for name in fields)
    if words.compounds():  # each compound together or apart: every combination, up to three compounds
        choices = [
            [[word], list(group)] if len(group) > 1 else [[word]]
            for word, group in zip(words.exact, words.groups, strict=True)
        ]
        combos = list(product(*choices))[1:] if len(words.compounds()) <= 3 else [tuple(c[-1] for c in choices)]
        for combo in combos:
            spelled = tuple(w for piece in combo for w in piece)
            options.extend(Phrase(name, spelled, WEIGHTS[name]) for name in fields)
    for i, joined, stem in words.joins:
        spelling = (*words.exact[:i], joined, *words.exact[i + 2 :])
        if len(spelling) == 1:
            options.append(_word(joined, stem, fields))
        else:
            options.extend(Phrase(name, spelling, WEIGHTS[name]) for name in fields)
    return options[0] if len(options) == 1 else AnyOf(tuple(options))


def _compound(exact: str, stem: str, parts: Sequence[str], variants: Variants | None) -> Query:
    """A compound word in any spacing, at the full weight of a word: written together
    («همزمان», «هم‌زمان») it matches as itself; written apart («هم زمان») its parts one
    after the other match, scored as the word in both the exact and the stemmed field."""
    whole = _word(exact, stem, variants=variants)
    apart = AnyOf(
        tuple(Phrase(name, tuple(parts), WEIGHTS[name] + WEIGHTS[f"{name}_stem"]) for name in ("title", "text"))
    )
    return AnyOf((whole, Excluding(apart, whole)))


def _keyword(field: str, value: str) -> Query:
    key = facet_key(value)
    return Term(field, key) if key else Nothing()


#: Word associations (``search.associations``, when ``make associations`` has built them): the
#: ASSOCIATED stems used in the most like contexts as each rare query word, at least
#: ASSOCIATED_SIMILARITY alike (نهنگ -> دلفین, صید), rank the articles the query matches, each
#: weighted by its similarity times ASSOCIATED_WEIGHT of a query word. 0 neighbours: none, the default.
#: With Whoosh's idf they scored 0.8725 cross-validated against 0.8681 without (3-10 neighbours,
#: similarity 0.5-0.7, weight 0.05-0.1); with Lucene's idf (``backends.whoosh.lower``) the gain
#: they brought (query 3) is had without them, and every setting tried lowers MAP (0.8809 without;
#: weight 0.02 / 0.05 / 0.1: 0.8804 / 0.8797 / 0.8680): off until cross-validation says otherwise.
ASSOCIATED = 0
ASSOCIATED_SIMILARITY = 0.6
ASSOCIATED_WEIGHT = 0.1
#: The stems associated with some query stems, with their similarity (``search.associations``).
Associate = Callable[[Sequence[str]], Sequence[tuple[str, float]]]


def association_expansion(
    stems: Sequence[str], associate: Associate | None, neighbours: int | None = None
) -> Query | None:
    """The stems associated with ``stems`` as one query of the stemmed fields, or ``None``.

    ``neighbours`` defaults to ``ASSOCIATED``, read at call time so that ``kavosh evaluate
    --tune`` can set it. Off by default (``ASSOCIATED`` is 0), so nothing; with neighbours asked
    for, a weighted clause:

    >>> association_expansion(["همسرداری"], lambda stems: [("ازدواج", 0.5)]) is None
    True
    >>> association_expansion(["همسرداری"], lambda stems: [("ازدواج", 0.5)], neighbours=5)
    AnyOf(parts=(Term(field='text_stem', text='ازدواج', boost=0.05),))
    """
    if neighbours is None:
        neighbours = ASSOCIATED
    if not neighbours or associate is None or not stems:
        return None
    found = associate(stems)
    if not found:
        return None
    return AnyOf(tuple(Term("text_stem", t, WEIGHTS["text_stem"] * ASSOCIATED_WEIGHT * s) for t, s in found))


def text_query(
    stemmer: str,
    clauses: Sequence[Clause],
    variants: Variants | None = None,
    associate: Associate | None = None,
    split: Split | None = None,
) -> tuple[Query | None, list[str]]:
    """The query for ``clauses``, and the stems to highlight.

    ``None`` when the clauses hold nothing searchable. ``variants`` gives
    other spellings of a free or title word to match as well; ``associate``
    stems associated with the free words, which rank (never add) articles;
    ``split`` the parts of a rare free word written as one (``search.decompound``).
    """
    free_stems: list[str] = []
    ranked: list[Query] = []
    required: list[Query] = []
    excluded: list[Query] = []
    highlight: list[str] = []
    for clause in _free_runs(clauses):
        if clause.field in ("tag", "speaker", "source"):
            target = excluded if clause.negated else required
            target.append(_keyword(clause.field, clause.text))
            continue
        words = analyze(stemmer, clause.text)
        if not words.exact:
            continue
        fields = ("title",) if clause.field == "title" else ("title", "text")
        if clause.negated:
            excluded.append(_phrase(words, fields))
            continue
        highlight.extend(words.stems)
        if variants is not None:
            highlight.extend(stem for e in words.exact for _, stem in variants(e))
        if clause.kind == "phrase":
            required.append(_phrase(words, fields))
        elif clause.field == "title":
            required.append(AllOf(tuple(_word(e, s, fields, variants=variants) for e, s in words.pairs())))
        else:
            free_stems.extend(words.stems)
            compounds = {e: parts for e, _, parts in words.compounds()}
            for e, s in words.pairs():
                if e in compounds:
                    ranked.append(_compound(e, s, compounds[e], variants))
                else:
                    ranked.append(_word(e, s, variants=variants))
            in_compounds = {p for parts in compounds.values() for p in parts}
            ranked.extend(_word(e, s, boost=PART_WEIGHT) for e, s in words.parts if e not in in_compounds)
            for part in _split_parts(stemmer, words, split):
                ranked.append(_word(part.exact[0], part.stems[0], boost=DECOMPOUND_WEIGHT))
                highlight.append(part.stems[0])
            # neighbours written as one word («ایران خودرو» finds «ایرانخودرو»), as one more word
            # where they are not both found apart
            pairs = words.pairs()
            ranked.extend(
                Excluding(_word(e, s), AllOf((_word(*pairs[i]), _word(*pairs[i + 1])))) for i, e, s in words.joins
            )
    result: Query | None
    free: Query | None = AnyOf(tuple(ranked)) if ranked else None
    expansion = association_expansion(free_stems, associate) if free is not None else None
    if free is not None and expansion is not None:  # ranks the articles the words match, adds none
        free = Boosted(free, expansion)
    if required and free is not None:
        result = Boosted(AllOf(tuple(required)), free)
    elif required:
        result = AllOf(tuple(required))
    else:
        result = free
    if excluded:
        result = Excluding(result if result is not None else Every(), AnyOf(tuple(excluded)))
    return result, highlight


#: Decompounding (``search.decompound``): a free word far rarer than two words it can be cut into
#: («همسرداری» = همسر + داری: 5 Hamshahri articles against 124 and 118) also matches its parts,
#: each at DECOMPOUND_WEIGHT of a word: the weight of the parts of a word typed with a ZWNJ
#: (``PART_WEIGHT``, chosen by cross-validation on other queries), not tuned on its own.
#: DECOMPOUND_RATIO: how many times commoner the parts must be (the geometric mean of their
#: counts over the word's; Koehn & Knight split at 1, where «نمایشگاه» = نمایش + گاه costs query
#: 35 0.25 at weight 1; 2-10 split the same dev words). 0: off (docs/evaluation.md).
DECOMPOUND_WEIGHT = PART_WEIGHT
DECOMPOUND_RATIO = 10.0
#: The parts of a word the index counts much rarer than them, or ``None`` (``search.decompound``).
Split = Callable[[str], tuple[str, ...] | None]


def _split_parts(stemmer: str, words: Analyzed, split: Split | None) -> list[Analyzed]:
    """The parts of each simple word of ``words`` that ``split`` cuts, analyzed (one word each)."""
    if not DECOMPOUND_WEIGHT or split is None:
        return []
    found: list[Analyzed] = []
    for word, group in zip(words.exact, words.groups, strict=True):
        if not group:  # a compound already is matched in its parts' spacing
            found.extend(analyze(stemmer, part) for part in split(word) or ())
    return [part for part in found if len(part.exact) == 1]


def _free_runs(clauses: Sequence[Clause]) -> list[Clause]:
    """``clauses`` with each run of free words made one clause: the query is analyzed as the text
    is, so «هم زمان» may be one word written apart, and «کتاب ها» is «کتابها» as in the index.

    >>> from search.syntax import parse
    >>> [c.text for c in _free_runs(parse('کتاب ها "الف ب" هم زمان -ج'))]
    ['کتاب ها', 'الف ب', 'هم زمان', 'ج']
    """
    runs: list[Clause] = []
    for clause in clauses:
        free = clause.kind == "word" and clause.field is None and not clause.negated
        if free and runs and runs[-1].kind == "word" and runs[-1].field is None and not runs[-1].negated:
            runs[-1] = runs[-1]._replace(text=f"{runs[-1].text} {clause.text}")
        else:
            runs.append(clause)
    return runs


#: Pseudo-relevance feedback (RM3): the top FEEDBACK_DOCS documents of a
#: first search lend their FEEDBACK_TERMS most likely stems to a second one,
#: weighted FEEDBACK_WEIGHT against the query's own words. Measured on the
#: Hamshahri dev queries (see docs/evaluation.md).
FEEDBACK = True
FEEDBACK_DOCS = 5
FEEDBACK_TERMS = 10
#: 1.75-2.5 is a plateau (MAP 0.8604-0.8613; 1.5: 0.8583); 5-fold cross-validation picks 2.0 in 78% of folds.
FEEDBACK_WEIGHT = 2.0
#: Whether feedback may add articles that hold none of the query's words
#: (else it only reorders those that match the query).
FEEDBACK_ADDS = False
#: The fields feedback stems are matched in.
FEEDBACK_FIELDS = ("text_stem",)
#: Fewer first results than this: nothing to learn from.
FEEDBACK_MIN_DOCS = 3
#: The characters of each top document read for feedback stems.
FEEDBACK_CHARS = 1500
#: Stems in more than this share of the documents say nothing about a topic.
FEEDBACK_MAX_DF = 0.1
#: Weigh feedback stems by their rarity too: P(t|R) * (log N/df) ** FEEDBACK_IDF
#: (0: by frequency alone). Squared, a stem that names the topic (نهنگ) outweighs
#: the common words its articles share with any news (MAP 0.833 -> 0.855, with 10 stems).
FEEDBACK_IDF = 2.0


#: Weigh feedback against the query's content words only (``feedback_words``): a function word
#: («در», «از», «و») is in nearly every article and scores next to nothing in the first round, yet
#: it counted as a word: «ناامنی های پس از جنگ در عراق» weighed feedback as 7 words, and has 3
#: content words. RM3 interpolates with the query's model without its stopwords. 5-fold CV MAP
#: 0.8926 against 0.8894 (docs/evaluation.md).
FEEDBACK_STOPPED = True


def feedback_words(clauses: Sequence[Clause], stemmer: str) -> int:
    """How many words of the query feedback is weighed against: its free words, less function words
    if ``FEEDBACK_STOPPED``.

    >>> from search.syntax import parse
    >>> feedback_words(parse("ناامنی های پس از جنگ در عراق -آمریکا"), "lexicon")
    3
    """
    free = [c for c in clauses if c.kind == "word" and c.field is None and not c.negated]
    if not FEEDBACK_STOPPED:
        return len(free)
    return sum(_content_words(stemmer, c.text) for c in free)


@lru_cache(maxsize=4096)  # analysing a word costs ~0.1 ms; a server meets the same words again and again
def _content_words(stemmer: str, text: str) -> int:
    """The words of ``text`` as the index has them (not their parts) that are not function words."""
    exact_words = analyzers(stemmer)[0]
    return sum(1 for token in exact_words(text, mode="query") if not token.part and token.text not in FUNCTION_WORDS)


def feedback_terms(
    docs: Sequence[tuple[float, Sequence[str]]], df: Callable[[str], int], documents: int
) -> list[tuple[str, float]]:
    """RM1 term weights from (score, stems) of the top documents, heaviest first, summing to 1.

    P(t|R) = sum over documents of P(D) * tf(t, D) / |D|, with P(D) the
    document's share of the scores; stems found in most documents are dropped.

    >>> terms = feedback_terms([(2.0, ["بم", "زلزله", "زلزله"]), (1.0, ["زلزله", "کرمان"])], lambda t: 1, 100)
    >>> [(t, round(w, 4)) for t, w in terms]
    [('زلزله', 0.6111), ('بم', 0.2222), ('کرمان', 0.1667)]
    """
    total = sum(score for score, _ in docs)
    if total <= 0:
        return []
    weights: dict[str, float] = {}
    for score, stems in docs:
        if not stems:
            continue
        share = score / total / len(stems)
        for stem in stems:
            weights[stem] = weights.get(stem, 0.0) + share
    limit = max(FEEDBACK_MAX_DF * documents, FEEDBACK_DOCS)  # a tiny index has no df to speak of
    # each stem's df asked once (the backend is asked for hundreds a search)
    counted = [(t, w, df(t)) for t, w in weights.items() if len(t) > 1 and not t.isdigit()]
    kept = [(t, w * math.log(documents / max(1, n)) ** FEEDBACK_IDF) for t, w, n in counted if n <= limit]
    kept.sort(key=lambda tw: (-tw[1], tw[0]))
    kept = kept[:FEEDBACK_TERMS]
    norm = sum(w for _, w in kept)
    return [(t, w / norm) for t, w in kept] if norm else []


def feedback_expansion(terms: Sequence[tuple[str, float]], words: int) -> Query | None:
    """The feedback stems as one query, weighted as one more share of ``words`` words.

    Unless ``FEEDBACK_ADDS``, its scores are added only to documents that match
    the original query (as ``Boosted`` does).
    """
    if not terms:
        return None
    weight = FEEDBACK_WEIGHT * max(1, words)
    return AnyOf(tuple(Term(name, t, weight * w * WEIGHTS[name]) for t, w in terms for name in FEEDBACK_FIELDS))


@dataclass(frozen=True)
class Filters:
    """Narrowing by metadata; all given values must hold."""

    tags: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    months: tuple[str, ...] = ()  # "1398-09" or "undated"
    since: datetime | None = None
    until: datetime | None = None  # inclusive
    categories: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()  # agencies reported from («به نقل از مهر»)

    def __bool__(self) -> bool:
        return any((self.tags, self.speakers, self.sources, self.months, self.since, self.until,
                    self.categories, self.cited))  # fmt: skip


def filter_query(filters: Filters) -> Query | None:
    """All filters as one query, or ``None`` when there are none."""
    parts: list[Any] = []
    parts += [_keyword("tag", v) for v in filters.tags]
    parts += [_keyword("speaker", v) for v in filters.speakers]
    parts += [_keyword("source", v) for v in filters.sources]
    parts += [_keyword("category", v) for v in filters.categories]
    parts += [_keyword("cited", v) for v in filters.cited]
    if filters.months:
        # One article has one month: several months widen, not narrow.
        parts.append(AnyOf(tuple(Term("month", m) for m in filters.months)))
    if filters.since or filters.until:
        start = _utc(filters.since) if filters.since else None
        end = _utc(filters.until) if filters.until else None
        parts.append(DateRange(start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


#: Score regularization (``search.neighbours``, over the neighbours every reindex publishes): the best
#: REGULARIZE_DEPTH results are re-ranked by (1 - REGULARIZE) · their score + REGULARIZE · the mean
#: score of their REGULARIZE_NEIGHBOURS nearest articles (weighted by similarity; 0 for one not
#: among them): articles like other high-scoring ones rise (Diaz 2005). 5-fold CV MAP 0.9041 against
#: 0.8926, ten seeds 0.8968 (neighbours 5 / 10 / 20, weight 0.1-0.5: 20 and 0.3 chosen in every fold;
#: 11 queries up, 3 down). 0: off. REGULARIZE_DEPTH: how many of the best are re-ranked; 100 was what a
#: search could afford when it fetched them with their stored fields, and since ``Plan.rerank`` hands over
#: ids and scores alone, 300 (grid 100 / 200 / 300 / 500 / 1000: MAP 0.9041 / 0.9055 / 0.9063 / 0.9062 /
#: 0.9060; CV 0.9060, ten seeds 0.9058; +4/-0 against 100: relevant articles ranked 100-300 can rise).
#: With the vectors of the first 500 words (``indexer.vectors.READ_TERMS``): dev MAP 0.9102 (docs/evaluation.md).
REGULARIZE = 0.3
REGULARIZE_NEIGHBOURS = 20
REGULARIZE_DEPTH = 300
