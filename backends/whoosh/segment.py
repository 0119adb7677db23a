"""Whoosh's segment writer without its posting pool: the same segment files, byte for byte.

Whoosh's ``add_document`` turns every field of a document into postings one at a time
(a Token object per word, a tuple per posting into a pool that counts its own memory), and at
commit sorts them all and hands them one by one to the codec: at 2,000 shared articles a
million postings, a third of a reindex's CPU spent moving them (cProfile, issue 16).
``FastSegmentWriter`` keeps each field's postings by term as they are made: the text fields
take their terms and positions straight from the analysis (``indexer.analysis.term_positions``,
``stem_counts``: what Whoosh's formats gather from our analyzers' tokens), the other fields go
through Whoosh's own ``field.index``; at commit the terms are sorted once and each term's postings
are appended to the codec's blocks in slices. The stored fields, lengths and columns go through
Whoosh's per-document writer as before, and the blocks, term infos and term table through
Whoosh's codec (``FastFieldWriter``): the files are the ones Whoosh writes
(tests/test_whoosh_segment.py compares them).

Memory stays bounded as in Whoosh: past ``limitmb`` the postings held are written to a run file
(sorted, a term at a time) and merged at commit, a term at a time. A segment merged into this
writer by Whoosh's merge policy puts its postings into Whoosh's pool: then the commit hands
everything to Whoosh's own flush (rare: only segments of a few documents are merged).

Written for whoosh-reloaded 2.7.5 (pinned in pyproject.toml): it reads attributes of
Whoosh's writer classes.
"""

from __future__ import annotations

import heapq
import marshal
import pickle
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh.analysis import CompositeAnalyzer
from whoosh.formats import Frequency, Positions
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from backends.whoosh.flush import FastCodec
from indexer.analysis import PersianStemFilter, PersianTokenizer, stem_counts, term_positions
from indexer.stem import get_stemmer

#: One term's postings: document numbers, weights, encoded values (in document order).
TermPostings = tuple[list[int], list[float], list[bytes]]
#: A term's postings as they come out of the buffer or a run: (field, term bytes, postings).
Entry = tuple[str, bytes, TermPostings]

# Bytes the buffer holds for a posting, besides its value's: a list slot each for the document
# number (one int a document), the weight and the value, a float and a bytes object's header;
# and for a term, besides its text: its dict slot, key header, tuple and three lists.
_POSTING_BYTES = 3 * 8 + 24 + 33
_TERM_BYTES = 100 + 33 + 64 + 3 * 56


class _Postings:
    """Each field's postings by term, in memory; written to sorted runs past ``limit`` bytes."""

    def __init__(self, writer: SegmentWriter, limit: int) -> None:
        self._writer = writer
        self._limit = limit
        self.fields: dict[str, dict[bytes, TermPostings]] = {}
        self.size = 0
        self.runs: list[str] = []

    def field(self, name: str) -> dict[bytes, TermPostings]:
        terms = self.fields.get(name)
        if terms is None:
            terms = self.fields[name] = {}
        return terms

    def check_size(self) -> None:
        if self.size > self._limit:
            self._save()

    def _sorted(self) -> Iterator[Entry]:
        for name in sorted(self.fields):
            terms = self.fields[name]
            for btext in sorted(terms):
                yield name, btext, terms[btext]

    def _save(self) -> None:
        name = f"{random_name()}.run"  # the writer processes share one temporary folder
        with self._writer.temp_storage().create_file(name).raw_file() as f:
            for entry in self._sorted():
                marshal.dump(entry, f)
        self.runs.append(name)
        self.fields = {}
        self.size = 0

    def _read_run(self, name: str) -> Iterator[Entry]:
        storage = self._writer.temp_storage()
        with storage.open_file(name).raw_file() as f:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    break
        storage.delete_file(name)

    def entries(self) -> Iterator[Entry]:
        """Every term's postings, by field and term; a term's postings from the runs joined in order."""
        if not self.runs:
            yield from self._sorted()
            return
        sources = [self._read_run(name) for name in self.runs]
        sources.append(self._sorted())  # the latest documents
        merged = heapq.merge(*sources, key=itemgetter(0, 1))  # stable: earlier runs first
        for (name, btext), group in groupby(merged, key=itemgetter(0, 1)):
            parts = [postings for _, _, postings in group]
            if len(parts) == 1:
                yield name, btext, parts[0]
            else:
                ids: list[int] = []
                weights: list[float] = []
                values: list[bytes] = []
                for part_ids, part_weights, part_values in parts:
                    ids += part_ids
                    weights += part_weights
                    values += part_values
                yield name, btext, (ids, weights, values)

    def into_pool(self, add: Any) -> None:
        """Hand every posting to Whoosh's pool (``add``), as ``add_document`` would have."""
        for name, btext, (ids, weights, values) in self.entries():
            for docnum, weight, value in zip(ids, weights, values, strict=True):
                add((name, btext, docnum, weight, value))

    def cleanup(self) -> None:
        storage = self._writer.temp_storage()
        for name in self.runs:
            if storage.file_exists(name):
                storage.delete_file(name)
        self.runs = []
        self.fields = {}


def _kind(field: Any) -> tuple[str, Any] | None:
    """How a field's postings are made fast: ("positions", None) for our surface-form analyzer
    with Whoosh's Positions format, ("stems", stemmer) for our stem analyzer with its Frequency
    format; None for any other field (Whoosh's ``field.index`` makes them)."""
    analyzer: Any = getattr(field, "analyzer", None)
    fmt: Any = getattr(field, "format", None)
    if fmt is None or fmt.field_boost != 1.0 or field.separate_spelling() or field.vector:
        return None
    if type(analyzer) is PersianTokenizer and type(fmt) is Positions:
        return "positions", None
    if type(analyzer) is CompositeAnalyzer and type(fmt) is Frequency:
        items = analyzer.items
        if len(items) == 2 and type(items[0]) is PersianTokenizer and type(items[1]) is PersianStemFilter:
            return "stems", get_stemmer(items[1].stemmer)
    return None


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]  # Whoosh is untyped
    """``SegmentWriter`` keeping postings by term (see the module's docstring)."""

    def __init__(self, ix: Any, limitmb: int = 128, codec: Any = None, **kwargs: Any) -> None:
        codec = FastCodec() if codec is None else codec
        if not isinstance(codec, FastCodec):
            raise TypeError(f"FastSegmentWriter writes through FastCodec, not {type(codec).__name__}")
        super().__init__(ix, limitmb=limitmb, codec=codec, **kwargs)
        self._postings = _Postings(self, limitmb * 1024 * 1024)
        self._kinds = {name: _kind(field) for name, field in self.schema.items()}

    def add_document(self, **fields: Any) -> None:
        # Whoosh's SegmentWriter.add_document, the postings kept by term
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        postings = self._postings
        size = 0
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    kind = self._kinds[fieldname]
                    terms = postings.field(fieldname)
                    if kind is not None and type(value) is str:
                        how, stemmer = kind
                        if how == "positions":
                            items = _positions_items(term_positions(value))
                        else:
                            items = _frequency_items(stem_counts(value, stemmer))
                    else:
                        items = field.index(value)
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in items:
                        weight *= fieldboost
                        if scorable:
                            length += freq
                        entry = terms.get(tbytes)
                        if entry is None:
                            entry = terms[tbytes] = ([], [], [])
                            size += _TERM_BYTES + len(tbytes)
                        entry[0].append(docnum)
                        entry[1].append(weight)
                        entry[2].append(vbytes)
                        size += _POSTING_BYTES + len(vbytes or b"")
                if field.separate_spelling():  # Whoosh's spelling words (no field of ours)
                    raise NotImplementedError(f"field {fieldname!r}: a separate spelling field")
                if field.vector:
                    raise NotImplementedError(f"field {fieldname!r}: term vectors")
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        postings.size += size
        postings.check_size()

    def _flush_segment(self) -> None:
        pool = self.pool
        if pool.current or pool.runs:  # a merged segment's postings are in Whoosh's pool: its flush
            self._postings.into_pool(pool.add)
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        try:
            self.fieldwriter.add_term_postings(self.schema, lengths, self._postings.entries())
            self.fieldwriter.close()
        finally:
            lengths.close()

    def _close_segment(self) -> None:
        super()._close_segment()
        self._postings.cleanup()


def _positions_items(positions: dict[str, list[int]]) -> Iterator[tuple[bytes, int, float, bytes]]:
    """What Whoosh's ``Positions.word_values`` yields through ``field.index`` for these terms."""
    dumps = pickle.dumps
    for text, poslist in positions.items():
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        n = len(poslist)
        yield text.encode("utf-8"), n, float(n), pack_uint(n) + dumps(deltas, 2)


def _frequency_items(counts: dict[str, int]) -> Iterator[tuple[bytes, int, float, bytes]]:
    """What Whoosh's ``Frequency.word_values`` yields through ``field.index`` for these terms."""
    for text, n in counts.items():
        yield text.encode("utf-8"), n, float(n), pack_uint(n)


class _FastSubWriterTask(SubWriterTask):  # type: ignore[misc]
    """Whoosh's sub-writer process (``SubWriterTask.run``) with a ``FastSegmentWriter``."""

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        if not self.multisegment:
            raise NotImplementedError("FastMpWriter writes one segment per process (multisegment=True)")
        segment = writer._finalize_segment()
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)


class FastMpWriter(MpWriter):  # type: ignore[misc]
    """Whoosh's ``MpWriter`` whose processes write with ``FastSegmentWriter``, a segment each."""

    def __init__(self, ix: Any, procs: int, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        # Whoosh's MpWriter commits without the segment of a writer process that failed (its
        # documents silently missing): here the commit fails, so the reindex does.
        super()._commit(mergetype, optimize, merge)
        failed = [task.exitcode for task in self.tasks if task.exitcode != 0]
        if failed:
            raise OSError(f"a process writing the index failed (exit code {failed[0]}): the index was not changed")

    def _new_task(self) -> SubWriterTask:
        task = _FastSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task
