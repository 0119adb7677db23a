"""Choose the articles of the project's own speaker labels (issue 17).

Run from the project root: ``python tests/data/speakers/select_articles.py``.

The first draw (``SEED``, ``PER_CORPUS``) takes articles from each shared
corpus (ir-news files not in the shared dev set, Fars News records by file
and index, Hamshahri documents), then puts a third of each corpus's draw
aside as ``heldout``, before any extractor error is looked at. It writes
``selection.jsonl`` beside itself.

The second draw (``SECOND_SEED``, ``SECOND_PER_CORPUS``) does the same from
the articles the first draw and the dev set left, with its own held-out
third, ``heldout2`` (so that the first held-out figures stay comparable),
and writes ``selection2.jsonl``. The third draw (``THIRD_SEED``,
``THIRD_PER_CORPUS``) does it again from the articles the three before left
(first, second draw, dev set), into ``train`` and ``heldout2`` too, and writes
``selection3.jsonl``; the fourth to seventh (``FOURTH_SEED``,
``FIFTH_SEED``, ``SIXTH_SEED``, ``SEVENTH_SEED``, 21 of each corpus each)
again from what the draws before and the dev set left, into
``selection4.jsonl`` to ``selection7.jsonl``.
Their articles were split before any extractor output on them was seen, and
labelled by reading them.

Each selection file holds one pointer a line, ``{"file", "record",
"split"}``; ``file`` is relative to ../shared, ``record`` the index inside a
Fars News JSON array (``null`` elsewhere). No article text is written.
"""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

SEED = 17
PER_CORPUS = 51
SECOND_SEED = 1717
SECOND_PER_CORPUS = 30
THIRD_SEED = 1719
THIRD_PER_CORPUS = 21
FOURTH_SEED = 1721
FOURTH_PER_CORPUS = 21
FIFTH_SEED = 1723
FIFTH_PER_CORPUS = 21
SIXTH_SEED = 1725
SIXTH_PER_CORPUS = 21
SEVENTH_SEED = 1727
SEVENTH_PER_CORPUS = 21
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
HERE = Path(__file__).resolve().parent

Pointer = tuple[str, int | None]


@functools.cache  # every draw starts from it; the Fars News files take seconds to read
def candidates() -> dict[str, list[Pointer]]:
    """Every article of each corpus, as (file relative to ../shared, record), in sorted order.
    Callers must not change the lists."""
    dev = {json.loads(line)["file"] for line in (SHARED / "eval/speakers/dev.jsonl").read_text().splitlines() if line}
    ir = [
        (f"corpus/ir-news/Dataset/{p.name}", None)
        for p in sorted((SHARED / "corpus/ir-news/Dataset").iterdir())
        if p.name not in dev
    ]
    fars = []
    for p in sorted((SHARED / "corpus/farsnews").glob("*.json")):
        count = len(json.loads(p.read_text(encoding="utf-8")))
        fars += [(f"corpus/farsnews/{p.name}", n) for n in range(count)]
    ham = [(str(p.relative_to(SHARED)), None) for p in sorted((SHARED / "eval/hamshahri/docs").rglob("*.ham"))]
    return {"ir-news": ir, "farsnews": fars, "hamshahri": ham}


def draw(
    pools: dict[str, list[Pointer]], seed: int, per_corpus: int, held_name: str
) -> list[tuple[str, int | None, str]]:
    """``per_corpus`` articles of each pool, a third of each marked ``held_name``, the rest ``train``."""
    rng = random.Random(seed)
    rows = []
    for pool in pools.values():
        chosen = rng.sample(pool, per_corpus)
        held = set(rng.sample(range(per_corpus), per_corpus // 3))
        rows += [(f, r, held_name if n in held else "train") for n, (f, r) in enumerate(chosen)]
    return rows


def first_draw() -> list[tuple[str, int | None, str]]:
    return draw(candidates(), SEED, PER_CORPUS, "heldout")


def second_draw() -> list[tuple[str, int | None, str]]:
    """The second draw, from the articles left by the first draw and the dev set."""
    taken = {(f, r) for f, r, _split in first_draw()}
    pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
    return draw(pools, SECOND_SEED, SECOND_PER_CORPUS, "heldout2")


def third_draw() -> list[tuple[str, int | None, str]]:
    """The third draw, from the articles left by the first two draws and the dev set."""
    taken = {(f, r) for f, r, _split in first_draw() + second_draw()}
    pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
    return draw(pools, THIRD_SEED, THIRD_PER_CORPUS, "heldout2")


def fourth_draw() -> list[tuple[str, int | None, str]]:
    """The fourth draw, from the articles left by the first three draws and the dev set."""
    taken = {(f, r) for f, r, _split in first_draw() + second_draw() + third_draw()}
    pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
    return draw(pools, FOURTH_SEED, FOURTH_PER_CORPUS, "heldout2")


def fifth_draw() -> list[tuple[str, int | None, str]]:
    """The fifth draw, from the articles left by the first four draws and the dev set."""
    taken = {(f, r) for f, r, _split in first_draw() + second_draw() + third_draw() + fourth_draw()}
    pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
    return draw(pools, FIFTH_SEED, FIFTH_PER_CORPUS, "heldout2")


def sixth_draw() -> list[tuple[str, int | None, str]]:
    """The sixth draw, from the articles left by the first five draws and the dev set."""
    taken = {(f, r) for f, r, _split in first_draw() + second_draw() + third_draw() + fourth_draw() + fifth_draw()}
    pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
    return draw(pools, SIXTH_SEED, SIXTH_PER_CORPUS, "heldout2")


def seventh_draw() -> list[tuple[str, int | None, str]]:
    """The seventh draw, from the articles left by the first six draws and the dev set."""
    earlier = first_draw() + second_draw() + third_draw() + fourth_draw() + fifth_draw() + sixth_draw()
    taken = {(f, r) for f, r, _split in earlier}
    pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
    return draw(pools, SEVENTH_SEED, SEVENTH_PER_CORPUS, "heldout2")


def write(rows: list[tuple[str, int | None, str]], name: str) -> None:
    with open(HERE / name, "w", encoding="utf-8") as out:
        for f, r, split in rows:
            out.write(json.dumps({"file": f, "record": r, "split": split}, ensure_ascii=False) + "\n")


def main() -> None:
    write(first_draw(), "selection.jsonl")
    write(second_draw(), "selection2.jsonl")
    write(third_draw(), "selection3.jsonl")
    write(fourth_draw(), "selection4.jsonl")
    write(fifth_draw(), "selection5.jsonl")
    write(sixth_draw(), "selection6.jsonl")
    write(seventh_draw(), "selection7.jsonl")


if __name__ == "__main__":
    main()
