"""The statistical speaker labeller (issue 17): trained on labels, proposing what the rules
confirm, never trained on the held-out third, and the extractor without it (no model file).

Every article here is fictional; the labeller is trained in a temporary folder (a fraction
of a second for these few windows).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite
import pytest

from indexer.article import Article
from indexer.speakers import labeller, proposals, training
from indexer.speakers.extract import extract_text, find_speakers

# Fictional: six people quoted in one article, through six constructions
# (role after the name, «به گفته»، «تصریح کرد که»، «افزود»، «معتقد است»، «در گفت‌وگو با»).
SIX_SPEAKERS = """نشست بررسی بودجه آموزش و پرورش روز گذشته در تهران برگزار شد.
علیرضا کاظمی، وزیر آموزش و پرورش، در این نشست گفت: بودجه مدارس امسال بیشتر می‌شود.
به گفته مهرداد بذرپاش، سه هزار مدرسه تازه ساخته خواهد شد.
کامران نجف‌زاده نماینده مجلس نیز تصریح کرد که حقوق معلمان باید افزایش یابد.
همچنین سمیه محمودی، معاون وزیر، افزود: کتاب‌های درسی رایگان می‌شود.
فرهاد مجیدی، رئیس انجمن معلمان، معتقد است این بودجه کافی نیست.
کاظمی در پایان تاکید کرد: مدارس از مهر باز است.
مارتین لوتربرگ، کارشناس یونسکو، در گفت‌وگو با خبرنگار ما گفت: این طرح الگوی منطقه است."""

SIX = {
    "علیرضا کاظمی": "بودجه مدارس امسال بیشتر",
    "مهرداد بذرپاش": "سه هزار مدرسه تازه",
    "کامران نجف‌زاده": "حقوق معلمان باید افزایش",
    "سمیه محمودی": "کتاب‌های درسی رایگان",
    "فرهاد مجیدی": "این بودجه کافی نیست",
    "مارتین لوتربرگ": "این طرح الگوی منطقه",
}

# A construction the rules do not read («همان‌طور که X گفت، ...»), and one whose X is
# spoken to, not a speaker («در نامه‌ای به X گفت»): made-up names in both.
PEOPLE = ["یوهان کالیونن", "پییر دوبوآ", "ماتیاس هورنر", "آندرس لیندکویست", "تئو مارتنس", "کلاوس ویبرگ"]


def _articles() -> Iterator[tuple[list[str], list[dict[str, object]]]]:
    for n, name in enumerate(PEOPLE):
        other = PEOPLE[(n + 1) % len(PEOPLE)]
        texts = [
            f"همان‌طور که {name} گفت، بازار امسال آرام است.",
            f"وزیر در نامه‌ای به {other} گفت: همکاری پابرجاست.",
        ]
        yield texts, [{"name": name, "surface_forms": [name]}]


@pytest.fixture(scope="module")
def tagger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pycrfsuite.Tagger]:
    target = tmp_path_factory.mktemp("labeller") / "model.crfsuite"
    windows = [w for texts, speakers in _articles() for w in training.text_sequences(texts, speakers)]
    assert training.train_sequences(windows, target) == len(windows)
    opened = pycrfsuite.Tagger()
    opened.open(str(target))
    yield opened
    proposals.reset()


def test_the_labels_mark_the_speaker_words_of_each_window() -> None:
    texts, speakers = next(_articles())
    labelled = training.text_sequences(texts, speakers)
    # One window a sentence: the speaker's words are B I, the addressee's are O.
    assert [labels for _, labels in labelled] == [["O", "O", "B", "I", "O"], ["O"] * 7]


def test_the_labeller_proposes_a_speaker_the_rules_miss(tagger: pycrfsuite.Tagger) -> None:
    text = "همان‌طور که اسوالدو کاتانئو گفت، قیمت‌ها پایین می‌آید."
    proposals.use(None)
    assert extract_text(text) == []  # the rules alone
    proposals.use(tagger)
    try:
        assert extract_text(text) == ["اسوالدو کاتانئو"]
        # What they said: the rest of the sentence after the verb.
        (speaker,) = find_speakers(Article(id="t", title="", body=text))
        assert speaker.quotes == ("قیمت‌ها پایین می‌آید.",)
        # Spoken to, not speaking: nothing proposed.
        assert extract_text("مدیر در نامه‌ای به اسوالدو کاتانئو گفت: قیمت‌ها پایین می‌آید.") == []
    finally:
        proposals.reset()


def test_the_rules_confirm_a_proposal_or_drop_it(tagger: pycrfsuite.Tagger) -> None:
    proposals.use(tagger)
    try:
        # Not a name: common words and a pronoun in the speaker's place.
        assert extract_text("همان‌طور که مدیر کل گفت، قیمت‌ها پایین می‌آید.") == []
        assert extract_text("همان‌طور که وی گفت، قیمت‌ها پایین می‌آید.") == []
    finally:
        proposals.reset()


@pytest.mark.parametrize("with_labeller", [False, True])
def test_an_article_quoting_six_people_gives_all_six_with_their_words(
    tagger: pycrfsuite.Tagger, with_labeller: bool
) -> None:
    proposals.use(tagger if with_labeller else None)
    try:
        found = find_speakers(Article(id="t", title="بودجه مدارس", body=SIX_SPEAKERS))
    finally:
        proposals.reset()
    assert [s.name for s in found] == list(SIX)
    for speaker in found:
        assert any(SIX[speaker.name] in quote for quote in speaker.quotes), speaker


def test_without_a_model_file_the_extractor_is_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAVOSH_SPEAKER_MODEL", str(tmp_path / "absent.crfsuite"))
    labeller.model.cache_clear()
    try:
        assert labeller.model() is None
        assert extract_text("رضا کیانی گفت: باران بارید.") == ["رضا کیانی"]
    finally:
        monkeypatch.undo()
        labeller.model.cache_clear()


def test_training_never_reads_the_held_out_third(tmp_path: Path) -> None:
    dev = tmp_path / "shared" / "eval" / "speakers" / "dev.jsonl"
    dev.parent.mkdir(parents=True)
    dev.write_text(json.dumps({"file": "a.txt", "speakers": []}) + "\n", encoding="utf-8")
    own = tmp_path / "labelled.jsonl"
    lines = [
        {"file": "corpus/x/b.txt", "record": None, "split": "train", "speakers": []},
        {"file": "corpus/x/c.txt", "record": None, "split": "heldout", "speakers": []},
    ]
    own.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    names = [item.path.name for item in training.training_articles(dev, own)]
    assert names == ["a.txt", "b.txt"]
