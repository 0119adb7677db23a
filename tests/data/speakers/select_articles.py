"""Choose the articles of the project's own speaker labels (issue 17).

Run from the project root: ``python tests/data/speakers/select_articles.py``.

Each draw of ``DRAWS`` (seed, articles of each corpus, held-out name) takes
articles from each shared corpus (ir-news files not in the shared dev set,
Fars News records by file and index, Hamshahri documents), from what the
draws before it left, and puts a third of each corpus's draw aside under its
held-out name before any extractor output on it is seen. The first draw's
third is ``heldout``; the second to seventh draws' is ``heldout2`` (so that
the first held-out figures stay comparable); the eighth's and the ninth's is
``heldout3``, a split on which no extractor output was ever seen. Draw 1 is written to
``selection.jsonl`` beside this file, draw n to ``selection{n}.jsonl``. The
articles were labelled by reading them.

Each selection file holds one pointer a line, ``{"file", "record",
"split"}``; ``file`` is relative to ../shared, ``record`` the index inside a
Fars News JSON array (``null`` elsewhere). No article text is written.
"""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

#: (seed, articles of each corpus, held-out name) of each draw, in draw order. Append only:
#: a draw's articles depend on every draw before it.
DRAWS: tuple[tuple[int, int, str], ...] = (
    (17, 51, "heldout"),
    (1717, 30, "heldout2"),
    (1719, 21, "heldout2"),
    (1721, 21, "heldout2"),
    (1723, 21, "heldout2"),
    (1725, 21, "heldout2"),
    (1727, 21, "heldout2"),
    (1729, 21, "heldout3"),
    (1731, 42, "heldout3"),
)
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
HERE = Path(__file__).resolve().parent

Pointer = tuple[str, int | None]
Row = tuple[str, int | None, str]


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


def draw(pools: dict[str, list[Pointer]], seed: int, per_corpus: int, held_name: str) -> list[Row]:
    """``per_corpus`` articles of each pool, a third of each marked ``held_name``, the rest ``train``."""
    rng = random.Random(seed)
    rows = []
    for pool in pools.values():
        chosen = rng.sample(pool, per_corpus)
        held = set(rng.sample(range(per_corpus), per_corpus // 3))
        rows += [(f, r, held_name if n in held else "train") for n, (f, r) in enumerate(chosen)]
    return rows


@functools.cache  # each draw needs all those before it
def _draws() -> tuple[list[Row], ...]:
    made: list[list[Row]] = []
    taken: set[Pointer] = set()
    for seed, per_corpus, held_name in DRAWS:
        pools = {corpus: [p for p in pool if p not in taken] for corpus, pool in candidates().items()}
        made.append(draw(pools, seed, per_corpus, held_name))
        taken |= {(f, r) for f, r, _split in made[-1]}
    return tuple(made)


def drawn(number: int) -> list[Row]:
    """Draw ``number`` (1 is the first) of ``DRAWS``, from the articles the draws before it and the dev set left."""
    if not 1 <= number <= len(DRAWS):
        raise ValueError(f"no draw {number}: DRAWS holds {len(DRAWS)}")
    return list(_draws()[number - 1])


def file_name(number: int) -> str:
    """The selection file of draw ``number``."""
    return "selection.jsonl" if number == 1 else f"selection{number}.jsonl"


def write(rows: list[Row], name: str) -> None:
    with open(HERE / name, "w", encoding="utf-8") as out:
        for f, r, split in rows:
            out.write(json.dumps({"file": f, "record": r, "split": split}, ensure_ascii=False) + "\n")


def main() -> None:
    for number in range(1, len(DRAWS) + 1):
        write(drawn(number), file_name(number))


if __name__ == "__main__":
    main()
