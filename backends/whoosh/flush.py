"""Whoosh's segment flush with less Python a posting: the same files, byte for byte.

When a writer commits, Whoosh sorts its postings and hands them one by one to
``FieldWriter.add_postings``, which asks the per-document reader for the length of the
posting's field in its document (a seek and a read in the lengths column a posting, and a
``stat`` of a file that does not exist for every posting of a field that keeps no lengths:
ids, keywords) and calls three methods deep to append it to a block. That was about half of
a reindex's flush, and the flush a third of a reindex (cProfile and pyinstrument on 2,000
shared articles). ``FastCodec`` is Whoosh's codec with a field writer that reads each field's
lengths once and appends postings in one loop; everything it writes goes through Whoosh's
own code (blocks, term infos, the term table), so the index is the one Whoosh writes.
The segments it creates name Whoosh's own ``W3Codec``, so the table of contents is the same
too and an index never needs this module to be read. Written for whoosh-reloaded 2.7.5
(pinned in pyproject.toml): it reads attributes of Whoosh's writer classes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3FieldWriter, W3PerDocReader, W3Segment, _lenfield
from whoosh.util.numeric import byte_to_length

#: One posting as Whoosh's pool yields it: (field, term bytes, document, weight, encoded value).
Posting = tuple[str, bytes, int, float, bytes | None]


class FastCodec(W3Codec):  # type: ignore[misc]  # Whoosh is untyped
    """``W3Codec`` writing through ``FastFieldWriter``; its segments name a plain ``W3Codec``."""

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        return FastFieldWriter(self, storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class FastFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """``W3FieldWriter.add_postings`` (Whoosh's ``FieldWriter.add_postings`` and the methods it
    calls, ``W3PostingsWriter.add_posting`` inlined) for a flush of the writer's own segment."""

    def add_postings(self, schema: Any, lengths: Any, items: Iterable[Posting]) -> None:
        if type(lengths) is not W3PerDocReader:  # not a flush of this writer's segment: Whoosh's loop
            super().add_postings(schema, lengths, items)
            return
        table = _Lengths(lengths)
        lastfn: str | None = None
        lasttext: bytes | None = None
        field_lengths: list[int | None] | None = None
        writer: Any = None
        ids: Any = None
        for fieldname, btext, docnum, weight, value in items:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if fieldname == lastfn and lasttext and btext < lasttext:
                raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                writer = self._postwriter
                field_lengths = table.of(fieldname)
                lastfn = fieldname
                lasttext = None
            if docnum == -1:  # Whoosh's mark of a spelling word: not a posting
                continue
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                ids = writer._ids
                lasttext = btext
            length = field_lengths[docnum] if field_lengths is not None else 0
            # W3PostingsWriter.add_posting, without its type checks (the pool holds what
            # add_document put there, checked by the tests that compare the files)
            if len(ids) >= writer._blocklimit:
                writer._write_block()
                ids = writer._ids
            ids.append(docnum)
            writer._weights.append(weight)
            if weight > writer._maxweight:
                writer._maxweight = weight
            if value:
                writer._values.append(value)
            if length:
                if writer._minlength is None or length < writer._minlength:
                    writer._minlength = length
                if length > writer._maxlength:
                    writer._maxlength = length
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class _Lengths:
    """Each field's lengths in the segment being flushed, read once: what
    ``W3PerDocReader.doc_field_length`` answers a document at a time (``None`` for a
    length of 0; ``None`` for the whole field when it keeps no lengths, where Whoosh answers 0)."""

    def __init__(self, reader: W3PerDocReader) -> None:
        self._reader = reader
        self._fields: dict[str, list[int | None] | None] = {}

    def of(self, fieldname: str) -> list[int | None] | None:
        if fieldname not in self._fields:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._fields[fieldname] = (
                None if column is None else [byte_to_length(b) if b else None for b in column.load()]
            )
        return self._fields[fieldname]
