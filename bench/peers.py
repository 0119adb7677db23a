"""The engines a user could pick instead: SQLite FTS5 (stdlib) and tantivy (the ``bench`` extra).

Both get the text already normalized by our rules (``bench.corpus.peer_record``): their own
tokenizers split it, so they find Persian words however they were typed, as Kavosh does,
and their time is their own indexing only. Queries: the words OR-ed (ranked, like Kavosh),
phrases as phrases, filters as exact matches on a facet key; the top 10 ids and titles,
without facets or snippets.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.queries import Query

TOP = 10


# --- SQLite FTS5 ----------------------------------------------------------------------------


def fts5_build(records: Iterable[dict[str, Any]], folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "fts5.db")
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5("
        "id UNINDEXED, title, text, source UNINDEXED, month UNINDEXED, tags UNINDEXED)"
    )
    count = 0
    with db:
        for rec in records:
            db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                (rec["id"], rec["title"], rec["text"], rec["source"], rec["month"], "," + ",".join(rec["tags"]) + ","),
            )
            count += 1
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")  # one b-tree segment, as a finished index
    db.commit()
    db.close()
    return count


def _fts5_match(query: Query) -> str:
    quoted = ['"' + w.replace('"', '""') + '"' for w in query.words]
    body = '"' + " ".join(w.replace('"', '""') for w in query.words) + '"' if query.phrase else " OR ".join(quoted)
    return "{title text} : (" + body + ")"


class Fts5Searcher:
    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "fts5.db", check_same_thread=False)

    def search(self, query: Query) -> list[tuple[str, str]]:
        sql = "SELECT id, title FROM docs WHERE docs MATCH ?"
        args: list[str] = [_fts5_match(query)]
        for name, key in query.filters:
            if name == "tag":
                sql += " AND instr(tags, ?) > 0"
                args.append(f",{key},")
            else:
                sql += f" AND {name} = ?"  # name is source or month, from the mix, never user text
                args.append(key)
        return list(self.db.execute(sql + f" ORDER BY rank LIMIT {TOP}", args))


# --- tantivy --------------------------------------------------------------------------------


def _tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True)
    builder.add_text_field("text", stored=True)
    for name in ("source", "month", "tags"):
        builder.add_text_field(name, tokenizer_name="raw")
    return builder.build()


def tantivy_build(records: Iterable[dict[str, Any]], folder: Path) -> int:
    import tantivy

    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_tantivy_schema(), path=str(folder))
    writer = index.writer(heap_size=256_000_000)  # threads: tantivy's own choice (the cores)
    count = 0
    for rec in records:
        writer.add_document(
            tantivy.Document(
                id=rec["id"],
                title=rec["title"],
                text=rec["text"],
                source=rec["source"] or "",
                month=rec["month"],
                tags=rec["tags"] or [""],
            )
        )
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class TantivySearcher:
    def __init__(self, folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.schema = _tantivy_schema()
        self.index = tantivy.Index.open(str(folder))
        self.index.reload()

    def search(self, query: Query) -> list[tuple[str, str]]:
        tv = self.tantivy
        text_fields = ("title", "text")
        words = [w.lower() for w in query.words]
        if query.phrase and len(words) > 1:
            clauses = [(tv.Occur.Should, tv.Query.phrase_query(self.schema, f, words)) for f in text_fields]
        else:
            clauses = [(tv.Occur.Should, tv.Query.term_query(self.schema, f, w)) for f in text_fields for w in words]
        parsed = tv.Query.boolean_query(clauses)
        if query.filters:
            musts = [(tv.Occur.Must, parsed)]
            field_of = {"source": "source", "month": "month", "tag": "tags"}
            musts += [(tv.Occur.Must, tv.Query.term_query(self.schema, field_of[n], k)) for n, k in query.filters]
            parsed = tv.Query.boolean_query(musts)
        searcher = self.index.searcher()
        found = searcher.search(parsed, TOP)
        hits = []
        for _score, address in found.hits:
            doc = searcher.doc(address)
            hits.append((doc["id"][0], doc["title"][0]))
        return hits
