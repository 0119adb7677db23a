"""The neighbours step of a reindex (``indexer.build._neighbours``) alone, at the bench's sizes, for its
memory and CPU: a 100k reindex takes thousands of CPU seconds, this a few minutes.

``prepare`` makes the bench's corpus (``bench.corpus.build_records``: the same seed, the same
articles) and counts every article's stems as a reindex does (``indexer.vectors.Vectors``), then
writes them as a reindex keeps them (``Vectors.kept``) with the ids in index order. The real
articles are read back from JSON Lines and analysed whole, as the reindex reads them; a made-up
article is real sentences joined (``bench.corpus.made_up_plans``), so each sentence is analysed once
and an article's stems are its title's then its sentences' (``--check N`` compares N made-up
articles composed so with their real analysis and says how many differ). ``measure`` then runs, in
a fresh process, what a full reindex does once its files are written: the articles' counts held
(``Vectors``, filled from the kept counts), then ``_neighbours`` itself (the counts kept for the
next reindex, the table computed), each phase's peak resident memory read from the kernel
(``VmHWM``, reset before the phase through ``/proc/self/clear_refs``) and its CPU seconds, and the
digests of the two tables, which must not change with the code. ``load`` measures the kept counts'
format alone, in a fresh process: the file read and taken (``Vectors.take_kept``), then written again::

    python -m bench.neighbours_step prepare --docs 100000 --out var/bench/step-100k
    python -m bench.neighbours_step measure var/bench/step-100k
    python -m bench.neighbours_step load var/bench/step-100k
    python -m bench.neighbours_step reindex --docs all --out var/bench/step-12k   # a real reindex, the same figures
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import corpus


def _kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        match = re.search(rf"^{field}:\s+(\d+)", handle.read(), re.M)
    return int(match.group(1)) if match else 0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def phase(name: str, figures: dict[str, Any]) -> Iterator[None]:
    """Record the phase's resident memory before and after, its peak (the kernel's high-water mark,
    reset at its start) and its CPU seconds, in MB."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")  # resets VmHWM to the current resident size
    before, cpu = _kb("VmRSS"), _cpu()
    yield
    figures[name] = {
        "rss_before_mb": round(before / 1024, 1),
        "peak_mb": round(_kb("VmHWM") / 1024, 1),
        "rss_after_mb": round(_kb("VmRSS") / 1024, 1),
        "cpu_s": round(_cpu() - cpu, 2),
    }
    print(name, figures[name], file=sys.stderr, flush=True)


# --- prepare -------------------------------------------------------------------------------------


def _composed(vectors: Any, title: str, sentences: list[list[str]], read: int | None) -> list[str]:
    """A made-up article's first ``read`` terms: its title's, then each sentence's in order."""
    from indexer.tokenize import term_columns

    terms = list(term_columns(title, offsets=False).texts)
    for sentence in sentences:
        if read is not None and len(terms) >= read:
            break
        terms += sentence
    return terms[:read]


def prepare(docs: int | None, out: Path, seed: int, check: int) -> dict[str, Any]:
    from indexer.article import Article
    from indexer.manifest import DocEntry, FileEntry, Manifest, body_digest
    from indexer.readers import read_file
    from indexer.tokenize import term_columns
    from indexer.vectors import Vectors

    started = time.monotonic()
    articles = corpus.load_articles(corpus.default_paths()).articles
    real = [corpus.record(a) for a in articles]
    if docs is not None and docs < len(real):
        plans: list[tuple[dict[str, Any], list[int]]] = [(r, []) for r in corpus.build_records(articles, docs, seed)]
        made: list[tuple[dict[str, Any], list[int]]] = []
    else:
        plans = [(r, []) for r in real]
        made = list(corpus.made_up_plans(articles, (docs or len(real)) - len(real), seed))
    pool = corpus.sentence_pool(articles)
    vectors = Vectors()
    read = vectors._read
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:  # the real ones as the reindex reads them
        path = Path(tmp) / "real.jsonl"
        corpus.write_jsonl((r for r, _ in plans), path)
        parsed = [a for a in read_file(path) if isinstance(a, Article)]
    terms_of: dict[int, list[str]] = {}
    for _, positions in made:
        for i in positions:
            if i not in terms_of:
                terms_of[i] = term_columns(pool[i], offsets=False).texts
    checked = differ = 0
    made_articles: list[Article] = []
    for rec, positions in made:
        article = Article(id=rec["id"], title=rec["title"], body=rec["body"])
        made_articles.append(article)
        stems = vectors._stems.many(_composed(vectors, rec["title"], [terms_of[i] for i in positions], read))
        vectors.count(article.id, stems)
        if checked < check:  # the composition against the real analysis of the joined text
            truth = Vectors()
            truth.add(article)
            checked += 1
            differ += truth.docs[article.id] != dict(Counter(stems))
    for article in parsed:
        vectors.add(article)
    # the index's order: files sorted (part-00000... in record order), one document per id and URL
    manifest = Manifest()
    entry = FileEntry(hash="bench")
    for article in [*parsed, *made_articles]:
        doc = DocEntry(id=article.id, url=article.url.strip(), digest=body_digest(article.body))
        if manifest.duplicate_of(doc) is None:
            manifest.claim(doc, "bench")
            entry.docs.append(doc)
    manifest.files["bench"] = entry
    ids = [doc.id for doc in entry.docs]
    out.mkdir(parents=True, exist_ok=True)
    (out / "kept").write_bytes(vectors.kept([("bench", ids)]))
    summary = {
        "docs": len(ids),
        "sentences_analysed": len(terms_of),
        "composed_checked": checked,
        "composed_differ": differ,
        "seconds": round(time.monotonic() - started, 1),
    }
    (out / "prepared.json").write_text(json.dumps(summary), encoding="utf-8")
    return summary


# --- measure -------------------------------------------------------------------------------------


class _Generation:
    """What ``_neighbours`` asks of a generation: a full reindex's (nothing kept before)."""

    incremental = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.digests: dict[str, str] = {}

    def keep(self, name: str, data: bytes) -> None:
        self.digests[name] = hashlib.sha256(data).hexdigest()
        (self.folder / f"kept-{name}").write_bytes(data)

    def kept(self, name: str) -> bytes | None:
        return None


def _table_digest(packed: str | None) -> str:
    return hashlib.sha256((packed or "").encode()).hexdigest()


def content_digest(kept: bytes) -> str:
    """A digest of what kept counts hold (each article's id, file hash and stem counts), read back
    as a reindex reads them: the same whatever the bytes of the format."""
    from indexer.vectors import Vectors, kept_articles

    articles = kept_articles(kept)
    vectors = Vectors()
    vectors.take_kept(kept, articles)
    digest = hashlib.sha256()
    for ident, file_hash in articles.items():
        digest.update(repr((ident, file_hash, list(vectors.docs[ident].items()))).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def measure(folder: Path) -> dict[str, Any]:
    import numpy  # noqa: F401  (loaded before the first phase, as a reindex has it loaded)
    import scipy.sparse  # noqa: F401

    from indexer import build
    from indexer.manifest import DocEntry, FileEntry, Manifest
    from indexer.vectors import KEPT, Vectors, kept_articles

    figures: dict[str, Any] = {}
    data = (folder / "kept").read_bytes()
    articles = kept_articles(data)  # one file, "bench"
    ids = list(articles)
    manifest = Manifest({"bench": FileEntry(hash="bench", docs=[DocEntry(id=i) for i in ids])})
    summary = build.Summary(added=len(ids), indexed=len(ids))
    vectors = Vectors()
    with phase("counts held", figures):  # what a reindex holds by the time its files are written
        vectors.take_kept(data, articles)
        del data
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        generation = _Generation(Path(tmp))
        with phase("neighbours step", figures):
            packed = build._neighbours(None, generation, manifest, summary, vectors, None)  # type: ignore[arg-type]
        figures["kept_content_sha256"] = content_digest((Path(tmp) / f"kept-{KEPT}").read_bytes())
    figures["docs"] = len(ids)
    figures["kept_sha256"] = generation.digests[KEPT]
    figures["table_sha256"] = _table_digest(packed)
    figures["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def load(folder: Path) -> dict[str, Any]:
    """The kept counts read and taken as an incremental reindex takes them, then kept again (each
    phase's peak above its start, its CPU), and what is left held after the load."""
    import numpy  # noqa: F401  (loaded before the first phase, as a reindex has it loaded)

    from indexer.vectors import Vectors, kept_articles

    figures: dict[str, Any] = {}
    with phase("file read and taken", figures):
        data = (folder / "kept").read_bytes()
        articles = kept_articles(data)
        vectors = Vectors()
        vectors.take_kept(data, articles)
        del data
    gc.collect()
    figures["held_after_load_mb"] = round(_kb("VmRSS") / 1024 - figures["file read and taken"]["rss_before_mb"], 1)
    with phase("kept again", figures):
        figures["kept_bytes"] = len(vectors.kept([("bench", list(articles))]))
    return figures


# --- a real reindex, the step measured inside it -------------------------------------------------


def real_reindex(docs: int | None, out: Path, seed: int) -> dict[str, Any]:
    """The bench's corpus reindexed (one process), with ``_neighbours`` measured as ``measure`` does."""
    from indexer import build

    articles = corpus.load_articles(corpus.default_paths()).articles
    records = corpus.build_records(articles, docs, seed)
    figures: dict[str, Any] = {}
    original: Callable[..., Any] = build._neighbours

    def measured(*args: Any, **kwargs: Any) -> Any:
        vectors = args[4]
        figures["counts"] = len(vectors.docs)
        with phase("neighbours step", figures):
            packed = original(*args, **kwargs)
        figures["table_sha256"] = _table_digest(packed)
        return packed

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        for start in range(0, len(records), 250):  # as bench.run.prepare writes them
            corpus.write_jsonl(records[start : start + 250], Path(tmp) / "articles" / f"part-{start // 250:05d}.jsonl")
        del records, articles
        build._neighbours = measured  # type: ignore[assignment]
        try:
            started = _cpu()
            summary = build.reindex([Path(tmp) / "articles"], Path(tmp) / "index", rebuild=True)
            figures["reindex_cpu_s"] = round(_cpu() - started, 1)
        finally:
            build._neighbours = original  # type: ignore[assignment]
        kept = next((Path(tmp) / "index").glob("*/kept-stems"))
        figures["kept_sha256"] = hashlib.sha256(kept.read_bytes()).hexdigest()
        figures["kept_content_sha256"] = content_digest(kept.read_bytes())
        figures["docs"] = summary.indexed
    figures["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.neighbours_step", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("prepare", "measure", "load", "reindex"))
    parser.add_argument("folder", nargs="?", type=Path, help="measure, load: what prepare wrote")
    parser.add_argument("--docs", default="100000", help="a number, or 'all' (the real articles)")
    parser.add_argument("--out", type=Path, default=Path("var/bench/neighbours-step"))
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--check", type=int, default=500, help="made-up articles checked against the real analysis")
    args = parser.parse_args(argv)
    docs = None if args.docs == "all" else int(args.docs)
    if args.command == "prepare":
        result = prepare(docs, args.out, args.seed, args.check)
    elif args.command == "measure":
        result = measure(args.folder or args.out)
    elif args.command == "load":
        result = load(args.folder or args.out)
    else:
        result = real_reindex(docs, args.out, args.seed)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
