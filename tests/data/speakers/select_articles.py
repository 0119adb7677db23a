"""Choose the articles of the project's own speaker labels (issue 17).

Run once from the project root: ``python tests/data/speakers/select_articles.py``.
It draws ``PER_CORPUS`` articles from each shared corpus with ``SEED``
(ir-news files not in the shared dev set, Fars News records by file and
index, Hamshahri documents), then puts a third of each corpus's draw aside
as held-out, before any extractor error is looked at. It writes
``selection.jsonl`` beside itself: one pointer a line, ``{"file", "record",
"split"}``; ``file`` is relative to ../shared, ``record`` the index inside a
Fars News JSON array (``null`` elsewhere). No article text is written.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 17
PER_CORPUS = 51
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
HERE = Path(__file__).resolve().parent


def candidates() -> dict[str, list[tuple[str, int | None]]]:
    """Every article of each corpus, as (file relative to ../shared, record), in sorted order."""
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


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for _corpus, pool in candidates().items():
        chosen = rng.sample(pool, PER_CORPUS)
        held = set(rng.sample(range(PER_CORPUS), PER_CORPUS // 3))
        rows += [
            {"file": f, "record": r, "split": "heldout" if n in held else "train"} for n, (f, r) in enumerate(chosen)
        ]
    with open(HERE / "selection.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
