"""Words reported inside other words, and the views features and essays cite (issue 17, twelfth
session): a saying a speech or sermon cites, a quote's end shared with the next attribution, a
view held; on sentences written for the tests (fictional people and figures)."""

from __future__ import annotations

import pytest

from indexer.article import Article
from indexer.speakers.extract import extract_text, find_speakers


def _said(body: str) -> dict[str, tuple[str, ...]]:
    return {s.name: s.quotes for s in find_speakers(Article(id="t1", title="", body=body))}


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A title, a name and a blessing before a verb of respect: a saying, inside a speech or alone.
        ("کامیار نیک‌سرشت گفت: امام رهنماپور (ره) فرموده‌اند که مردم را باید دید.", ["کامیار نیک‌سرشت", "رهنماپور"]),
        ("وی افزود: حضرت امام رهنماپور (ره) فرمودند آبادانی با مردم است.", ["رهنماپور"]),
        (
            "کامیار نیک‌سرشت گفت: کار ما روشن است و امام بهرام علیه‌السلام فرمود کار را باید دید.",
            ["کامیار نیک‌سرشت", "بهرام"],
        ),
        ("امام بهرام علیه السلام می‌فرمایند: کار را باید دید.", ["بهرام"]),
        # A given name needs no blessing; another word does («امام جمعه» is a role).
        ("کامیار نیک‌سرشت گفت: امام بهرام فرمود کار را باید دید.", ["کامیار نیک‌سرشت", "بهرام"]),
        ("کامیار نیک‌سرشت گفت: امام رهنماپور فرمودند کار را باید دید.", ["کامیار نیک‌سرشت"]),
        ("امام جمعه شهر فرمودند: کار را باید دید.", []),
        # An epithet is no name («امام راحل»); a name inside a phrase is no subject; the passive says nothing.
        ("کامیار نیک‌سرشت گفت: امام راحل (ره) فرمودند کار را باید دید.", ["کامیار نیک‌سرشت"]),
        ("کامیار نیک‌سرشت در مراسم ولادت حضرت بهرام (ع) گفت: کار را باید دید.", ["کامیار نیک‌سرشت"]),
        ("این سخن خطاب به حضرت بهرام (ع) فرموده شده است.", []),
    ],
)
def test_a_saying_cited_by_title_name_and_blessing(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


def test_a_saying_is_its_own_and_the_next_pronoun_still_the_speaker_s() -> None:
    said = _said("کامیار نیک‌سرشت گفت: امام رهنماپور (ره) فرموده‌اند که مردم را باید دید. وی افزود: بودجه کم است.")
    assert said["رهنماپور"] == ("مردم را باید دید.",)
    assert said["کامیار نیک‌سرشت"][-1] == "بودجه کم است."


def test_a_saying_inside_a_quote_that_goes_on() -> None:
    said = _said(
        "کامیار نیک‌سرشت گفت: «کار ما روشن است. امام رهنماپور (ره) می‌فرمایند: مردم را باید دید. "
        "ما همین را می‌گوییم». وی افزود: بودجه کم است."
    )
    assert said["رهنماپور"] == ("مردم را باید دید.",)
    assert said["کامیار نیک‌سرشت"][-1] == "بودجه کم است."


def test_a_sentence_after_the_mark_that_closes_a_quote_is_read() -> None:
    # The splitter cuts no sentence at «.»» before a space: the quote's end and a new attribution
    # share one sentence, which was all taken as the quote going on.
    said = _said(
        "کامیار نیک‌سرشت گفت: «کار ما روشن است. بودجه کم است.» مهرداد آذرکیش نیز گفت: کار تمام است. وی افزود: باران آمد."
    )
    assert said == {
        "کامیار نیک‌سرشت": ("«کار ما روشن است. بودجه کم است.»",),
        "مهرداد آذرکیش": ("کار تمام است.", "باران آمد."),
    }
    # A quote that closes with nothing after its mark ends there.
    assert _said("کامیار نیک‌سرشت گفت: «کار ما روشن است. بودجه کم است.» وی افزود: باران آمد.") == {
        "کامیار نیک‌سرشت": ("«کار ما روشن است. بودجه کم است.»", "باران آمد.")
    }


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("کامیار نیک‌سرشت بر این باور است که بازار آرام می‌شود.", {"کامیار نیک‌سرشت": ("بازار آرام می‌شود.",)}),
        (
            "کامیار نیک‌سرشت، استاد دانشگاه، بر این عقیده بود: بازار آرام می‌شود.",
            {"کامیار نیک‌سرشت": ("بازار آرام می‌شود.",)},
        ),
        ("کامیار نیک‌سرشت عقیده دارد بازار آرام می‌شود.", {"کامیار نیک‌سرشت": ("بازار آرام می‌شود.",)}),
        # A group holds a view: no one named.
        ("کارشناسان بر این باورند که بازار آرام می‌شود.", {}),
    ],
)
def test_a_view_held_is_reported_words(text: str, said: dict[str, tuple[str, ...]]) -> None:
    assert _said(text) == said


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A foreign surname alone opens an essay's citation: a colon and a quote mark after the verb.
        ("ورنهولتس در تعریف خانواده می‌گوید: «خانه پناه آدمی است.»", ["ورنهولتس"]),
        ("بروکنسال می‌نویسد: «هر سفری از نقشه‌اش درازتر است.»", ["بروکنسال"]),
        # Not without the quote mark, nor before another word (it may be a longer name's), nor a noun
        # and its ending.
        ("ورنهولتس می‌گوید خانه پناه آدمی است.", []),
        ("ورنهولتس امروز می‌گوید: «خانه پناه آدمی است.»", []),
        ("همراهش می‌گوید: «خانه پناه آدمی است.»", []),
    ],
)
def test_a_scholar_an_essay_cites_by_surname_alone(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers
