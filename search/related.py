"""Related articles: what two articles share that is rare (key terms, tags, speakers, time).

Engine-independent: an article's *profile* is its key stems (the most frequent in it, weighted by
how rare they are in the index), its tags and speakers and its date. Candidates come from the
engine (a search for the key stems, tags and speakers); each is scored here by what it shares:

    score = sum of the shared key stems' weights / the article's total   (0..1)
          + TAG_WEIGHT per shared tag + SPEAKER_WEIGHT per shared speaker
          + up to TIME_WEIGHT when published within TIME_DAYS of each other

and kept only when it shares at least ``MIN_SHARED_TERMS`` key stems and scores ``MIN_SCORE``:
none is shown rather than a bad one («آف لاین» beside a malaria vaccine shares only common words).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from indexer.dates import parse_date
from indexer.metadata import facet_key
from indexer.stem import Stemmer
from indexer.tokenize import term_columns
from search.snippets import FUNCTION_WORDS

KEY_TERMS = 15  # stems that profile an article
READ_CHARS = 4000  # of an article's text, for its profile
CANDIDATE_CHARS = 1500  # of a candidate's (news puts what it is about first; 40 candidates a page)
COMMON = 0.05  # a stem in more than this share of the articles names no topic
SMALL_INDEX = 5  # ... or in more articles than this, whichever is more (a tiny index has no shares to speak of)
MIN_SHARED_TERMS = 2
MIN_SCORE = 0.3
TAG_WEIGHT = 0.25
SPEAKER_WEIGHT = 0.25
TIME_WEIGHT = 0.1
TIME_DAYS = 30


@dataclass(frozen=True)
class Profile:
    terms: dict[str, float]  # key stem -> weight (tf * idf)
    tags: frozenset[str]
    speakers: frozenset[str]
    published: datetime | None


def profile(
    stored: Mapping[str, Any], stemmer: Stemmer, df: Callable[[str], int], documents: int, chars: int = READ_CHARS
) -> Profile:
    """The key stems of an article (its title counts twice), its tags, speakers and date."""
    text = " ".join(str(stored.get(name) or "") for name in ("title", "title", "lead", "body"))[:chars]
    stems = stemmer.many(list(term_columns(text, offsets=False).texts))
    counts = Counter(s for s in stems if len(s) > 1 and not s.isdigit() and s not in FUNCTION_WORDS)
    weights: dict[str, float] = {}
    for stem, tf in counts.items():
        n = df(stem)
        if n < 2 or n > max(COMMON * documents, SMALL_INDEX):  # only here, or everywhere: no bond
            continue
        weights[stem] = (1 + math.log(tf)) * math.log(documents / n)
    best = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_TERMS])
    published = stored.get("date") or None
    return Profile(
        best,
        frozenset(k for k in map(facet_key, stored.get("tags") or []) if k),
        frozenset(k for k in map(facet_key, stored.get("speakers") or []) if k),
        parse_date(published) if published else None,
    )


def score(article: Profile, other: Profile) -> float:
    """How related ``other`` is to ``article``: 0 when it shares too little to show."""
    total = sum(article.terms.values())
    shared = [t for t in article.terms if t in other.terms]
    if not total or len(shared) < MIN_SHARED_TERMS:
        return 0.0
    value = sum(article.terms[t] for t in shared) / total
    value += TAG_WEIGHT * len(article.tags & other.tags) + SPEAKER_WEIGHT * len(article.speakers & other.speakers)
    if article.published and other.published:
        days = abs((article.published - other.published).total_seconds()) / 86400
        value += TIME_WEIGHT * max(0.0, 1 - days / TIME_DAYS)
    return value if value >= MIN_SCORE else 0.0


def rank(
    article: Profile, candidates: Sequence[tuple[Mapping[str, Any], Profile]], limit: int
) -> list[Mapping[str, Any]]:
    """The best ``limit`` candidates (stored fields) that are related enough, best first."""
    scored = [(score(article, p), i, stored) for i, (stored, p) in enumerate(candidates)]
    kept = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
    return [stored for _, _, stored in kept[:limit]]
