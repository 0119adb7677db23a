"""Build an index from corpus files: read, analyse, write, publish.

A reindex is incremental: the index mirrors the files it is given, and a
manifest (``indexer.manifest``) remembers each file's content hash and the
documents it gave. Unchanged files are not read again; changed and new ones
are; documents of files that changed or are gone leave the index.
``rebuild=True`` (or a different stemmer or schema) starts from nothing.

Either way the work happens in a new generation (a copy of the current one)
that becomes current only when complete (see ``backends``): a reindex
that dies part-way, from a bad file with ``strict``, a full disk or SIGKILL,
leaves the previous index current, whole and searchable.

One document per URL (and per id): the first copy met (files in sorted
order, kept files before new ones) is indexed, later copies are counted in
the summary as duplicates. Identical bodies under different URLs are all
indexed, in one group that searches collapse to its best hit.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from backends import Config, open_backend
from backends.base import Backend, Generation, IndexMissing, KeptUnreadable, Writer
from indexer import neighbours
from indexer.article import Article
from indexer.dates import TEHRAN
from indexer.lifeline import children_die_with_us
from indexer.manifest import DocEntry, FileEntry, Manifest, body_digest, file_digest
from indexer.parts import WHOLE, Part, owner
from indexer.readers import ReadError, find_corpus_files, required_reader
from indexer.readers.base import collect_notes
from indexer.sources import outlet_name
from indexer.speakers import find_speakers, load_lexicons, resolve_names
from indexer.stem import DEFAULT_STEMMER
from indexer.vectors import KEPT, Vectors

#: Does a reindex compute each article's nearest articles (score regularization, ``indexer.neighbours``)?
NEIGHBOURS = True

#: Called after each file: (files done, files in all, documents added so far).
Progress = Callable[[int, int, int], None]
#: What ``reindex(stage=...)`` is told when the files are read and each article's neighbours are computed.
STAGE_NEIGHBOURS = "similar articles"

#: A longer "article" is a mistake (a whole dump in one page file, a binary
#: read as text): it is skipped with a clear reason, not indexed.
MAX_ARTICLE_CHARS = 1_000_000

#: Below this many articles (bytes of files to read) a reindex stays in one process:
#: forking costs more than it saves.
PARALLEL_MIN_ARTICLES = 1000
PARALLEL_MIN_BYTES = 2_000_000


class NothingIndexed(Exception):
    """No article could be read from the given paths."""


@dataclass
class Summary:
    """What a reindex did, for the command line and ``kavosh.json``."""

    indexed: int = 0  # documents in the index after this run
    added: int = 0  # documents written by this run (``changed`` ones included)
    removed: int = 0  # documents deleted by this run (``changed`` ones included)
    changed: int = 0  # documents of a changed file written again (same id): removed and added
    files: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    skipped: list[str] = field(default_factory=list)  # "path[:line]: reason"
    notes: list[str] = field(default_factory=list)  # "path: what was guessed or repaired" (still indexed)
    duplicates: Counter[str] = field(default_factory=Counter)  # copies not indexed, by url / id
    grouped: int = 0  # indexed beside another article with the same body
    formats: Counter[str] = field(default_factory=Counter)  # documents in the index by format
    mode: str = "rebuild"  # or "incremental"
    seconds: float = 0.0
    waiting: list[int] = field(default_factory=list)  # with --part: parts still running (index not current yet)

    @property
    def unchanged(self) -> int:
        """Documents of the index this run did not touch."""
        return self.indexed - self.added

    def articles_line(self) -> str:
        """«N added, N changed, N removed, N unchanged»: new, written again, gone, kept.

        >>> Summary(indexed=4840).articles_line()
        '0 added, 0 changed, 0 removed, 4,840 unchanged'
        """
        return (
            f"{self.added - self.changed:,} added, {self.changed:,} changed, "
            f"{self.removed - self.changed:,} removed, {self.unchanged:,} unchanged"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "files": self.files,
            "files_read": self.files_read,
            "files_unchanged": self.files_unchanged,
            "files_removed": self.files_removed,
            "skipped": self.skipped,
            "notes": self.notes,
            "duplicates": dict(self.duplicates),
            "grouped": self.grouped,
            "formats": dict(self.formats),
            "mode": self.mode,
            "seconds": round(self.seconds, 2),
        }


def reindex(
    paths: Iterable[str | Path],
    index: Backend | Config | str | os.PathLike[str],
    *,
    stemmer: str = DEFAULT_STEMMER,
    fmt: str | None = None,
    strict: bool = False,
    rebuild: bool = False,
    progress: Progress | None = None,
    procs: int = 1,
    part: Part = WHOLE,
    stage: Callable[[str], None] | None = None,
) -> Summary:
    """Bring ``index`` (a backend, or a Whoosh index folder) up to date with the articles under ``paths``.

    Raises ``ReadError`` (file not found, or any bad input with ``strict``),
    ``IndexBusy`` (another reindex runs), ``NothingIndexed``, ``OSError``
    (e.g. a full disk) or ``BackendUnavailable``; in each case the current
    index is left as it was.
    Without ``strict`` no record or file stops a run, whatever is wrong with it:
    it is skipped, named with its path (and line) in ``Summary.skipped``, and
    the rest is indexed. Only a failure to write the index stops a run.

    ``procs`` > 1 spreads the work over that many processes: the speaker pass
    over a pool, and analysis and writing as the backend does it (Whoosh: one
    segment per process). The index holds the same documents either way.

    ``part`` K/N reads only the files of part K (``indexer.parts``), and deletes only the
    documents of part K's files that changed or vanished: N machines feed one index of a
    backend that takes parts (OpenSearch), and the last part to end makes it current
    (``Summary.waiting`` lists the parts still running). Raises ``ValueError`` for a
    backend that does not take parts (Whoosh).
    """
    started = time.monotonic()
    problems: list[ReadError] = []
    found = [(path.resolve(), relative) for path, relative in find_corpus_files(paths, problems)]
    files = [path for path, _ in found]
    relatives: dict[str, str] = {}  # each file's path in its corpus folder, which decides its part
    for path, relative in found:
        relatives.setdefault(str(path), relative)
    if strict and problems:
        raise problems[0]
    backend = open_backend(index)
    if part.total > 1 and not backend.parts:
        raise ValueError(f"--part {part}: {backend.description} is written by one machine; use --backend opensearch")
    if part.total > 1:
        files = [path for path in files if part.holds(relatives[str(path)])]
    with backend.lock(part), children_die_with_us():
        generation = backend.begin(stemmer=stemmer, fmt=fmt, rebuild=rebuild, part=part)
        try:
            summary = Summary(files=len(files), mode="incremental" if generation.incremental else "rebuild")
            old = generation.manifest or Manifest()
            if part.total > 1:  # this part's files only: the others are other machines' to keep or delete
                old = Manifest({path: entry for path, entry in old.files.items()
                                if part.holds(owner(path, relatives, entry.relative))})  # fmt: skip
            vectors = Vectors(stemmer) if NEIGHBOURS and part.total == 1 else None
            manifest = _update(generation, files, relatives, old, fmt, strict, summary, progress, procs, vectors)
            summary.skipped += [str(problem) for problem in problems]
            if summary.indexed == 0 and part.total == 1:  # a part may hold no file
                raise NothingIndexed("no article could be indexed" + _first_reasons(summary))
            near = _neighbours(backend, generation, manifest, summary, vectors, fmt, stage) if vectors else None
        except BaseException:
            generation.discard()
            raise
        summary.seconds = time.monotonic() - started
        generation.publish(
            manifest,
            {
                "labels": manifest.labels(),
                "stemmer": stemmer,
                "format": fmt,
                "built": datetime.now(TEHRAN).isoformat(timespec="seconds"),
                "summary": summary.to_json(),
                "dates": manifest.date_range(),
                **({neighbours.KEY: near} if near else {}),
            },
        )
        summary.waiting = list(generation.waiting)
    return summary


def _neighbours(
    backend: Backend,
    generation: Generation,
    manifest: Manifest,
    summary: Summary,
    vectors: Vectors,
    fmt: str | None,
    stage: Callable[[str], None] | None = None,
) -> str | None:
    """Each indexed article's nearest articles (``indexer.neighbours``), published with the index.

    They depend on every article (a new one may be anyone's neighbour), so a run that changed the
    index computes them all again, over the articles in the order of their files' paths, so that an
    incremental run gives the table a full one gives. The articles it wrote were stemmed as they
    were read; those it kept have the stem counts the previous reindex kept with the index
    (``indexer.vectors``), or, where it kept none (or another analysis's), are read again from their
    files. Every article's counts are kept with the new index, for the next run. A run that changed
    nothing keeps the current index's table and counts. A reindex in parts publishes none (no part
    reads every article): searches then rank without, until a whole reindex computes them.
    """
    files = sorted(manifest.files.items())
    unreadable: list[KeptUnreadable] = []  # the kept counts, when they cannot be read: said once
    if generation.incremental and summary.added == 0 and summary.removed == 0:
        try:
            previous = backend.open().meta.get(neighbours.KEY)
        except IndexMissing:
            previous = None
        if isinstance(previous, str):
            try:
                kept = generation.kept(KEPT)
            except KeptUnreadable as damaged:  # computed again below, which keeps counts that can be read
                unreadable.append(damaged)
            else:
                if kept is not None:
                    generation.keep(KEPT, kept)
                return previous
    if stage:  # the files are all read; this step reads no new one, so the bar alone would look stuck
        stage(STAGE_NEIGHBOURS)
    wanted = {doc.id: entry.hash for _, entry in files for doc in entry.docs if doc.id not in vectors.docs}
    if wanted and generation.incremental and not unreadable:
        try:
            if (kept := generation.kept(KEPT)) is not None:
                vectors.take_kept(kept, wanted)
        except KeptUnreadable as damaged:
            unreadable.append(damaged)
    for why in unreadable:  # named as the backend names the index (the counts are a file of it, or documents)
        summary.notes.append(f"the articles' stem counts kept with the previous index cannot be read "
                             f"({backend.description}, kept as {KEPT!r}: {why}): its articles were read again "
                             "from their files")  # fmt: skip
    for path, entry in files:
        missing = {doc.id for doc in entry.docs if doc.id not in vectors.docs}
        if missing and (error := vectors.read(Path(path), missing, fmt)):  # changed or gone since it was hashed
            summary.notes.append(f"{path}: could not be read again ({error}); its articles rank without neighbours")
    generation.keep(KEPT, vectors.kept((entry.hash, [doc.id for doc in entry.docs]) for _, entry in files))
    return neighbours.packed_table(vectors, [doc.id for _, entry in files for doc in entry.docs])


def _update(
    generation: Generation,
    files: list[Path],
    relatives: Mapping[str, str],
    old: Manifest,
    fmt: str | None,
    strict: bool,
    summary: Summary,
    progress: Progress | None,
    procs: int = 1,
    vectors: Vectors | None = None,
) -> Manifest:
    """Delete what is stale, add what is new, commit; the new manifest. ``relatives``: each file's path
    in its corpus folder (``find_corpus_files``), recorded in the entry of each file read."""
    hashes: dict[Path, str] = {}
    unreadable: dict[str, FileEntry] = {}
    for path in files:
        try:
            hashes[path] = file_digest(path)
        except OSError as err:  # its documents leave the index, as if it were gone; named
            _skip(unreadable.setdefault(str(path), FileEntry(hash="")),
                  ReadError(path, f"cannot read: {err.strerror or err}"), strict)
    files = [path for path in files if path in hashes]
    stale = old.stale(hashes)  # paths whose documents must leave the index
    manifest = old.without(stale)
    summary.files_unchanged = sum(1 for path in files if str(path) in manifest.files)
    summary.files_removed = sum(1 for path in stale if Path(path) not in hashes)
    todo = [path for path in files if str(path) not in manifest.files]  # new, changed, or stale
    for path in files:  # unchanged, from a manifest older than the record of their path in the corpus: recorded now
        entry = manifest.files.get(str(path))
        if entry is not None and not entry.relative:
            manifest.files[str(path)] = replace(entry, relative=relatives[str(path)])
    summary.files_read = len(todo)
    speakers = _Speakers(manifest, todo, fmt, procs)
    writer = generation.writer(procs, parallel=len(speakers.found) >= PARALLEL_MIN_ARTICLES)
    try:
        for stale_path in stale:
            entry = old.files.get(stale_path)
            summary.removed += writer.delete_file(stale_path, [doc.id for doc in entry.docs] if entry else [])
        for done, path in enumerate(todo, start=1):
            manifest.files[str(path)] = _index_file(
                path, hashes[path], relatives[str(path)], fmt, strict, writer, manifest, summary, speakers, vectors
            )
            if progress:
                progress(done + summary.files_unchanged, len(files), summary.added)
        summary.indexed = manifest.document_count()
        rewritten = {doc.id for path in todo for doc in manifest.files[str(path)].docs}
        were = {doc.id for path in stale if path in old.files for doc in old.files[path].docs}
        summary.changed = len(rewritten & were)
        if summary.indexed:
            writer.commit()
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    summary.formats = manifest.formats()
    summary.duplicates = manifest.duplicates()
    summary.grouped = manifest.grouped()
    summary.skipped = manifest.errors() + [e for entry in unreadable.values() for e in entry.errors]
    summary.notes = manifest.notes()
    return manifest


class _Speakers:
    """Who is quoted in each article to index, one name per person across the corpus.

    A first pass reads the files to index and extracts the speakers of each
    article that has none from its reader, so that ``resolve_names`` sees
    every name (those already indexed too) before the first is written:
    «تیزپاک» alone becomes «محمدباقر تیزپاک» when the corpus names only
    one person so. Articles already indexed keep their names until they are
    read again (``--rebuild`` resolves the whole corpus at once).
    """

    def __init__(self, manifest: Manifest, paths: list[Path], fmt: str | None, procs: int = 1) -> None:
        self.found: dict[tuple[str, str], list[str]] = {}
        self.said: dict[tuple[str, str], list[tuple[str, str]]] = {}
        names = [
            name for entry in manifest.files.values() for doc in entry.docs for name in doc.facets.get("speaker", [])
        ]
        jobs = [(path, fmt) for path in paths]
        if procs > 1 and len(paths) >= 2 * procs and sum(p.stat().st_size for p in paths) >= PARALLEL_MIN_BYTES:
            # Pure per file, and a slow part of a reindex (milliseconds an article): fork a pool.
            # The lexicons are loaded first, so the workers share them instead of each loading
            # them; small chunks, so no worker is left with a long tail; results in file order.
            load_lexicons()
            with multiprocessing.get_context("fork").Pool(procs) as pool:
                per_file = pool.map(_speakers_of_file, jobs, chunksize=max(1, len(jobs) // (32 * procs)))
        else:
            per_file = [_speakers_of_file(job) for job in jobs]
        for path, found_in_file in zip(paths, per_file, strict=True):
            for ident, found, said in found_in_file:
                self.found[(str(path), ident)] = found
                self.said[(str(path), ident)] = said
                names.extend(found)
        self.canonical = resolve_names(names)

    def of(self, path: Path, article: Article) -> list[str]:
        found = self.found.get((str(path), article.id), article.speakers)
        return list(dict.fromkeys(self.canonical.get(name, name) for name in found))

    def quotes_of(self, path: Path, article: Article) -> list[tuple[str, str]]:
        """What each speaker of the article said, under their corpus-wide name."""
        said = self.said.get((str(path), article.id), article.quotes)
        return [(self.canonical.get(name, name), text) for name, text in said]


def _speakers_of_file(job: tuple[Path, str | None]) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(article id, speakers, (speaker, quote) pairs) for each article of a file; nothing
    for an unreadable file. Speakers a reader gives are kept, with no quotes."""
    path, fmt = job
    try:
        articles = [item for item in required_reader(path, fmt).read(path) if isinstance(item, Article)]
    except Exception:  # any failure to read the file is reported by the indexing pass
        return []
    found: list[tuple[str, list[str], list[tuple[str, str]]]] = []
    for article in articles:
        if _problem(article):  # not indexed (named by the indexing pass): a 50 MB dump took minutes here
            continue
        if article.speakers:
            found.append((article.id, article.speakers, []))
            continue
        speakers = find_speakers(article)
        quotes = [(s.name, text) for s in speakers for text in s.quotes]
        found.append((article.id, [s.name for s in speakers], quotes))
    return found


def _index_file(
    path: Path,
    digest: str,
    relative: str,
    fmt: str | None,
    strict: bool,
    writer: Writer,
    manifest: Manifest,
    summary: Summary,
    speakers: _Speakers,
    vectors: Vectors | None = None,
) -> FileEntry:
    # its path in the corpus folder, for the runs that do not find it where this one did (``parts.owner``);
    # a file unchanged since keeps its entry, and so the path it was found at when it was read (``_update``
    # records it in an older entry that has none)
    entry = FileEntry(hash=digest, relative=relative)
    try:
        reader = required_reader(path, fmt)
        entry.format = reader.NAME
        for item in _articles(reader, path, entry):
            if isinstance(item, ReadError):
                _skip(entry, item, strict)
                continue
            try:
                item.quotes = speakers.quotes_of(path, item)
                item.speakers = speakers.of(path, item)
                item.source = outlet_name(item.source) if item.source else ""
                problem = _problem(item)
                doc = DocEntry.of(item, body_digest(item.body))
                fields = writer.document(item)
            except (ValueError, TypeError, OverflowError, RecursionError) as err:  # this article's, not the run's
                problem = f"cannot index it ({type(err).__name__}: {err})"
            if problem:
                _skip(entry, ReadError(path, f"{problem} (article {item.id!r})"), strict)
                continue
            duplicate = manifest.duplicate_of(doc)
            if duplicate:
                kind, owner = duplicate
                entry.duplicates[kind] += 1
                if owner != str(path):
                    entry.deps.add(owner)
                continue
            # Identical bodies under different URLs are indexed and grouped: searches collapse
            # the group to its best hit.
            writer.add(fields, str(path), doc.digest or f"id:{doc.id}")
            entry.docs.append(doc)
            if vectors is not None:
                vectors.add(item)
            manifest.claim(doc, str(path))
            summary.added += 1
    except ReadError as err:
        _skip(entry, err, strict)
    return entry


def _articles(reader: Any, path: Path, entry: FileEntry) -> Iterator[Article | ReadError]:
    """A reader's articles and errors, its notes kept in ``entry``; a reader that fails
    part-way (any exception: a bug or input no check foresaw) ends its file with a
    ``ReadError`` naming it, and the run goes on."""
    with collect_notes() as notes:
        try:
            yield from reader.read(path)
        except ReadError:
            raise
        except Exception as err:  # reported, with its type, as this file's error
            yield ReadError(path, f"cannot read the rest of the file ({type(err).__name__}: {err})")
        finally:
            entry.notes += notes


def _problem(article: Article) -> str:
    """Why an article that a reader accepted cannot be indexed, or ''."""
    size = len(article.title) + len(article.lead) + len(article.body)
    if size > MAX_ARTICLE_CHARS:
        return f"{size:,} characters is too long for one article (the limit is {MAX_ARTICLE_CHARS:,})"
    return ""


def _skip(entry: FileEntry, error: ReadError, strict: bool) -> None:
    if strict:
        raise error
    entry.errors.append(str(error))


def _first_reasons(summary: Summary) -> str:
    if not summary.skipped:
        return " (no files found)" if summary.files == 0 else ""
    return ": " + "; ".join(summary.skipped[:3])
