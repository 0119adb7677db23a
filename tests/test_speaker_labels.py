"""The project's own speaker labels (issue 17) and the figures they give.

153 articles drawn with seed 17 from the three shared corpora, a third held
out before any extractor error was looked at, six later draws (seeds 1717 to
1727; 405 articles) from the articles left, with their own held-out third
``heldout2``, and an eighth (seed 1729; 63 articles) with a fresh held-out
third ``heldout3`` (see ``speaker_labels``). The figures are asserted at what was measured when the
extractor last changed (docs/speakers.md): a change that loses precision,
recall or quote attribution on any set fails here.
"""

from __future__ import annotations

import json
import random
import runpy
from pathlib import Path

import pytest
from speaker_labels import LABELS, SELECTIONS, labels_of_draw, read_labels, selection, write_draws

from indexer.speakers.evaluate import evaluate, source_text, words

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "speakers" / "dev.jsonl"
SELECT = Path(__file__).parent / "data" / "speakers" / "select_articles.py"

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared is absent (the labelled articles are not in the repository)"
)


def test_labels_hold_no_article_text() -> None:
    # Names, surface forms, roles and notes only: quotes are offsets, never words.
    for label in read_labels():
        assert set(label) == {"file", "record", "split", "speakers", "roles_only", "note"}
        for speaker in label["speakers"]:
            assert set(speaker) == {"name", "surface_forms", "quote"}
            assert all(len(form) < 80 for form in speaker["surface_forms"])
            start, end = speaker["quote"]
            assert 0 <= start < end


# Three labels of earlier draws keep a title at the start of the name (one held out: never changed).
_TITLED = {
    ("corpus/farsnews/fars-news-3.json", 9),
    ("corpus/farsnews/fars-news-4.json", 64),
    ("corpus/ir-news/Dataset/roozno_data_882.txt", None),
}


def test_a_labelled_name_starts_with_no_honorific() -> None:
    # The dev set's convention: the name without «سید»، «دکتر»، «سردار» ... The extractor drops them,
    # so a name labelled with one can never be found: a miss and a false hit that are neither.
    from indexer.speakers.lexicon import HONORIFICS

    titled = [
        (label["file"], label["record"], speaker["name"])
        for label in read_labels()
        for speaker in label["speakers"]
        if speaker["name"].split()[0].replace("\u200c", "") in HONORIFICS
    ]
    assert {(file, record) for file, record, _name in titled} <= _TITLED, titled
    assert len(titled) == len(_TITLED)


CORPORA = ("corpus/ir-news/", "corpus/farsnews/", "eval/hamshahri/")
DRAWS = sorted(SELECTIONS)  # 1 to 9


def test_a_third_is_held_out_in_every_corpus() -> None:
    first = labels_of_draw(1)
    assert len(first) == 153
    for corpus in CORPORA:
        of_corpus = [label for label in first if label["file"].startswith(corpus)]
        assert len(of_corpus) == 51
        assert sum(label["split"] == "heldout" for label in of_corpus) == 17
    # The second draw: 30 articles of each corpus, 10 of them held out as «heldout2»; the later ones: 21, 7;
    # the eighth's and ninth's third is «heldout3».
    later = ((2, 30, "heldout2"), *((n, 21, "heldout2") for n in range(3, 8)), (8, 21, "heldout3"), (9, 42, "heldout3"))
    assert [draw for draw, _size, _held in later] == DRAWS[1:]
    for draw, size, held_name in later:
        for corpus in CORPORA:
            of_corpus = [split for file, _record, split in selection(draw) if file.startswith(corpus)]
            assert len(of_corpus) == size
            assert of_corpus.count(held_name) == size // 3
            assert of_corpus.count("train") == size - size // 3


def test_every_label_is_of_a_draw_with_the_split_it_was_drawn_with() -> None:
    # No article is labelled twice, none is outside the draws, none changed split.
    labels = read_labels()
    pointers = [(label["file"], label["record"]) for label in labels]
    assert len(set(pointers)) == len(pointers)
    drawn = {(file, record): split for draw in DRAWS for file, record, split in selection(draw)}
    assert len(drawn) == sum(len(selection(draw)) for draw in DRAWS)  # the draws do not overlap
    for label in labels:
        assert drawn[(label["file"], label["record"])] == label["split"]
    assert {label["split"] for label in labels} <= {"train", "heldout", "heldout2", "heldout3"}
    assert [(x["file"], x["record"], x["split"]) for x in labels[:153]] == selection(1)
    # The eighth and ninth draws were each labelled whole, before any extractor output on them was
    # seen, in draw order.
    for draw in (8, 9):
        assert [(x["file"], x["record"], x["split"]) for x in labels_of_draw(draw)] == selection(draw)


@needs_shared
def test_the_selection_is_the_seeded_draw() -> None:
    # Re-drawing with the recorded seeds gives the selection files, in order: each draw samples
    # its seed's articles from what the selection files before it left, then its held-out third.
    module = runpy.run_path(str(SELECT))
    table = module["DRAWS"]
    assert [seed for seed, _per_corpus, _held_name in table] == [17, 1717, 1719, 1721, 1723, 1725, 1727, 1729, 1731]
    assert table[0] == (17, 51, "heldout") and table[-1] == (1731, 42, "heldout3")
    assert len(table) == len(DRAWS)
    taken: set[tuple[str, int | None]] = set()
    for number, (seed, per_corpus, held_name) in enumerate(table, start=1):
        rng = random.Random(seed)
        drawn = []
        for pool in module["candidates"]().values():
            chosen = rng.sample([p for p in pool if p not in taken], per_corpus)
            held = set(rng.sample(range(per_corpus), per_corpus // 3))
            drawn += [(f, r, held_name if n in held else "train") for n, (f, r) in enumerate(chosen)]
        assert drawn == selection(number) == module["drawn"](number), number
        assert module["file_name"](number) == SELECTIONS[number].name
        taken |= {(f, r) for f, r, _split in drawn}


@needs_shared
def test_no_article_of_a_later_draw_is_in_the_dev_set() -> None:
    dev = {json.loads(line)["file"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not {Path(file).name for draw in DRAWS[1:] for file, _record, _split in selection(draw)} & dev


@needs_shared
def test_every_quote_span_is_words_of_its_article() -> None:
    for label in read_labels():
        text = source_text(SHARED, label)
        for speaker in label["speakers"]:
            start, end = speaker["quote"]
            assert end <= len(text)
            assert len(words(text[start:end])) >= 1, (label["file"], speaker["name"])
            # A span starts and ends on its words: no space or line break is part of a quote.
            assert text[start:end] == text[start:end].strip(), (label["file"], speaker["name"])


# (precision, recall, quote attribution) at least, as measured (docs/speakers.md).
FIGURES = {
    "dev": (0.96, 0.88, None),  # measured 0.966, 0.889 (56 of 63 speakers, 2 false hits)
    "train": (0.95, 0.82, 0.77),  # measured 0.953 (82/86), 0.828, 0.778 (82 of 99, 4 false hits; 77 of 99 quotes)
    "heldout": (0.85, 0.68, 0.60),  # measured 0.857, 0.686, 0.600 (24 of 35, 4 false hits): below the 0.95/0.90 target
}


@needs_shared
@pytest.mark.parametrize("split", ["train", "heldout"])
def test_figures_on_our_labels(split: str, tmp_path: Path) -> None:
    # The first draw's figures, comparable across sessions: the second draw's train articles
    # are scored on their own (below), not mixed into these.
    score = evaluate(write_draws(tmp_path / "first.jsonl", 1), SHARED, split)
    precision, recall, quotes = FIGURES[split]
    assert score.precision >= precision, score.false_hits
    assert score.recall >= recall, score.misses
    assert quotes is not None and score.quote_attribution >= quotes, score.quote_misses


# The later draws (seeds 1717 to 1727), scored once all 405 were labelled and landed (main c4cfdf6), and
# again after the seventh, tenth, eleventh and twelfth sessions' rules (from train, dev and unlabelled articles). No
# rule may be written from heldout2: a test failing there says what was lost, not what to read.
LATER_FIGURES = {
    # twelfth session's end (extractor of main cfbc511, measured in its review)
    "train": (0.90, 0.75, 0.72),  # measured 0.902 (211/234), 0.759 (211 of 278), 0.723 (201 of 278 quotes)
    # measured 0.892 (107/120), 0.699 (107 of 153), 0.608 (93 of 153 quotes); 0.899 (107/119) before ef7e1c2
    "heldout2": (0.89, 0.69, 0.60),
}


# The eighth and ninth draws (seeds 1729 and 1731), scored together: heldout3 is their blind third, on
# which no extractor output was seen before its labels landed. The eighth was first scored at 73f23f3;
# the ninth's 126 labels landed in the twelfth session and were scored once, with the session start's
# extractor (e19f7dd). Their train errors may be read; no rule may come from heldout3, and a test
# failing there says what was lost, not what to read.
BLIND_FIGURES = {
    # twelfth session's end (extractor of main cfbc511, measured in its review); heldout3 from e19f7dd's
    # 0.913 (42/46), 0.677 (42 of 62), 0.645
    "train": (0.91, 0.63, 0.54),  # measured 0.912 (93/102), 0.633 (93 of 147), 0.544 (80 of 147 quotes)
    "heldout3": (0.91, 0.69, 0.64),  # measured 0.915 (43/47), 0.694 (43 of 62), 0.645 (40 of 62 quotes)
}


# The draws scored together, and their floors by split.
LATER = {(2, 3, 4, 5, 6, 7): LATER_FIGURES, (8, 9): BLIND_FIGURES}


@needs_shared
@pytest.mark.parametrize(
    ("draws", "split"),
    [(draws, split) for draws, figures in LATER.items() for split in figures],
    ids=lambda value: "-".join(map(str, value)) if isinstance(value, tuple) else value,
)
def test_figures_on_the_later_draws(draws: tuple[int, ...], split: str, tmp_path: Path) -> None:
    score = evaluate(write_draws(tmp_path / "later.jsonl", *draws), SHARED, split)
    precision, recall, quotes = LATER[draws][split]
    # The train errors are shown, to be read; the held-out splits' are not (score them with the CLI's
    # summary lines).
    shown = split == "train"
    assert score.precision >= precision, score.false_hits if shown else "precision fell"
    assert score.recall >= recall, score.misses if shown else "recall fell"
    assert score.quote_attribution >= quotes, score.quote_misses if shown else "quote attribution fell"


@needs_shared
def test_figures_on_the_shared_dev_set() -> None:
    score = evaluate(DEV)
    precision, recall, _ = FIGURES["dev"]
    assert score.precision >= precision, score.false_hits
    assert score.recall >= recall, score.misses


def test_labels_file_is_one_json_object_a_line() -> None:
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        assert isinstance(json.loads(line), dict)


def test_cli_speaker_names_learns_a_surname_and_the_extractor_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from indexer.speakers import model
    from indexer.speakers.extract import extract_text
    from indexer.speakers.names import is_given_name
    from kavosh.cli import main

    # A fictional surname no list or dictionary holds, in surname places across articles.
    body = "دکتر کیانوش بهرنگیان گفت: جلسه {} برگزار شد. بهرنگیان افزود: تمام شد."
    records = [{"id": f"n{n}", "title": "گزارش", "body": body.format(n)} for n in range(4)]
    corpus = tmp_path / "names.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    lists = tmp_path / "names.txt"
    result = CliRunner().invoke(main, ["speaker-names", str(corpus), "-o", str(lists)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "surname\tبهرنگیان" in lists.read_text(encoding="utf-8").splitlines()
    # A bare «بهرنگیان گفت» is a speaker with the lists, not without them.
    text = "به گزارش ایرنا، بهرنگیان گفت: باران بارید."
    for lists_file, speakers in (("", []), (str(lists), ["بهرنگیان"])):
        monkeypatch.setenv("KAVOSH_SPEAKER_NAMES", lists_file)
        model.corpus_names.cache_clear()
        is_given_name.cache_clear()
        assert extract_text(text) == speakers
    monkeypatch.undo()
    model.corpus_names.cache_clear()
    is_given_name.cache_clear()


def test_the_name_model_does_not_read_the_lists_it_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rebuild learns from the corpus and the hand-written lists only: the committed lists it
    # replaces must not hide a given name they already hold (they did, and a rebuild lost them all).
    from indexer.speakers import model
    from indexer.speakers.names import is_given_name

    texts = ["به گزارش ایرنا، هوتن بهرنگیان گفت: جلسه برگزار شد."] * 4 + ["دکتر بهرنگیان افزود: تمام شد."] * 4
    lists = tmp_path / "names.txt"
    lists.write_text("given\tهوتن\n", encoding="utf-8")
    learned = []
    for lists_file in ("", str(lists)):
        monkeypatch.setenv("KAVOSH_SPEAKER_NAMES", lists_file)
        model.corpus_names.cache_clear()
        is_given_name.cache_clear()
        learned.append(model.build(texts))
    monkeypatch.undo()
    model.corpus_names.cache_clear()
    is_given_name.cache_clear()
    assert "هوتن" in learned[0].given
    assert learned[0] == learned[1]


def test_cli_scores_one_split_and_names_a_split_no_article_has(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kavosh.cli import main

    # Fictional articles: «heldout2» scores its own article only; «heldout» is another split.
    (tmp_path / "a.txt").write_text("عنوان\n\nمتن؛\n\nسوسن آذرپرور گفت: نمایش ادامه دارد.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("عنوان\n\nمتن؛\n\nکیانوش رهنما گفت: بازار آرام است.", encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"file": "a.txt", "record": None, "split": "heldout2", "speakers": [{"name": "سوسن آذرپرور"}]},
        {"file": "b.txt", "record": None, "split": "heldout", "speakers": [{"name": "ناصر تولایی"}]},
    ]
    labels.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run = CliRunner().invoke
    result = run(main, ["evaluate-speakers", str(labels), "--corpus", str(tmp_path), "--split", "heldout2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["precision 1.0000  recall 1.0000  F1 1.0000"]
    result = run(main, ["evaluate-speakers", str(labels), "--corpus", str(tmp_path), "--split", "heldout"])
    assert "miss       b.txt: ناصر تولایی" in result.output
    result = run(main, ["evaluate-speakers", str(labels), "--corpus", str(tmp_path), "--split", "heldout3"])
    assert result.exit_code == 1
    assert "labels.jsonl: no labelled article of split 'heldout3' (splits: heldout, heldout2)" in result.output
