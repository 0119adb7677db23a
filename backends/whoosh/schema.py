"""The Whoosh schema: what is searchable, facetable, sortable and stored.

Text is indexed twice: in canonical surface form (``title``, ``text``) and
stemmed (``title_stem``, ``text_stem``), so exact forms rank above stem-only
matches. Tags, speakers and sources are indexed by ``facet_key`` so every
spelling is one value; their display labels live beside the index.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from backends.base import FACET_FIELDS, UNDATED
from indexer.analysis import exact_analyzer, stem_analyzer
from indexer.article import Article
from indexer.dates import jalali_month
from indexer.metadata import facet_key
from indexer.stem import DEFAULT_STEMMER

__all__ = ["FACET_FIELDS", "SCHEMA_VERSION", "UNDATED", "make_schema", "to_document"]
#: Bumped when fields or their analysis change: an incremental reindex of an
#: index built with another version starts over.
SCHEMA_VERSION = 5  # 4: ir-news and Hamshahri bodies keep their paragraphs; 5: quotes stored


def make_schema(stemmer: str = DEFAULT_STEMMER) -> Schema:
    def keywords() -> KEYWORD:
        return KEYWORD(commas=True, lowercase=False, scorable=False, sortable=False)

    return Schema(
        id=ID(stored=True, unique=True),
        file=ID(),  # the corpus file it came from: an incremental reindex deletes by it
        group=ID(sortable=True),  # articles with the same body share it: results collapse on it
        title=TEXT(analyzer=exact_analyzer(), stored=True, phrase=True),
        title_stem=TEXT(analyzer=stem_analyzer(stemmer), phrase=False),
        text=TEXT(analyzer=exact_analyzer(), phrase=True),
        text_stem=TEXT(analyzer=stem_analyzer(stemmer), phrase=False),
        tag=keywords(),
        speaker=keywords(),
        cited=keywords(),  # agencies the article reports from («به نقل از مهر»)
        category=keywords(),
        source=ID(sortable=True),
        published=DATETIME(sortable=True),
        dated=ID(sortable=True),  # "1"/"0": undated articles sort last both ways
        month=ID(sortable=True),
        # stored for result pages, never searched directly
        url=STORED(),
        lead=STORED(),
        body=STORED(),
        date=STORED(),
        tags=STORED(),
        speakers=STORED(),
        quotes=STORED(),  # [[speaker, quote], ...]: shown for searches by speaker and on article pages
        source_label=STORED(),
        cited_labels=STORED(),
        categories=STORED(),
    )


def to_document(article: Article) -> dict[str, Any]:
    """The fields Whoosh indexes and stores for one article."""
    text = f"{article.lead}\n\n{article.body}" if article.lead else article.body
    published = article.published
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "title_stem": article.title,
        "text": text,
        "text_stem": text,
        "tag": ",".join(k for k in map(facet_key, article.tags) if k),
        "speaker": ",".join(k for k in map(facet_key, article.speakers) if k),
        "cited": ",".join(k for k in map(facet_key, article.cited) if k),
        "category": ",".join(k for k in map(facet_key, article.categories) if k),
        "month": jalali_month(published) if published else UNDATED,
        "dated": "1" if published else "0",
        "url": article.url,
        "lead": article.lead,
        "body": article.body,
        "date": published.isoformat() if published else "",
        "tags": list(article.tags),
        "speakers": list(article.speakers),
        "quotes": [[speaker, text] for speaker, text in article.quotes],
        "source_label": article.source,
        "cited_labels": list(article.cited),
        "categories": list(article.categories),
    }
    source = facet_key(article.source)
    if source:
        doc["source"] = source
    if published:
        # Whoosh stores naive datetimes: keep UTC so sorting is exact.
        doc["published"] = published.astimezone(UTC).replace(tzinfo=None)
    return doc

