"""Speakers the rules missed on the later train draws (issue 17, seventh session), by kind,
each on sentences written for the tests (fictional people)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer.article import Article
from indexer.speakers.extract import extract_text, find_speakers, sentences
from indexer.speakers.initials import is_initial
from indexer.speakers.tokens import tokenize


def _article(body: str) -> Article:
    return Article(id="t1", title="", body=body)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A name beside its role inside a frame segment, when no other segment has a subject.
        ("در همین باره کامیار نیک‌سرشت عضو شورای شهر، اخیرا در گفتگویی با «نسیم فردا» گفت: بودجه کم است.",
         ["کامیار نیک‌سرشت"]),
        ("از جمله کامیار نیک‌سرشت رئیس کمیسیون اقتصادی در خرداد به یک سایت گفته بود: بودجه کم است.",
         ["کامیار نیک‌سرشت"]),
        # ... not the person met («در دیدار با X رئیس ...»).
        ("در دیدار با کامیار نیک‌سرشت رئیس کمیسیون اقتصادی گفت: بودجه کم است.", []),
    ],
)
def test_a_name_and_its_role_in_a_frame_segment(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


def test_a_compound_given_name_in_al_din_whatever_its_head() -> None:
    # «علاءالدین» is in no list: «... الدین» makes the given name, glued or joined by a ZWNJ.
    assert extract_text("علاءالدین کیانفر با بیان اینکه انتخابات آرام بود، گفت: مردم آمدند.") == ["علاءالدین کیانفر"]
    assert extract_text("شمس‌الدین کیانفر گفت: مردم آمدند.") == ["شمس‌الدین کیانفر"]


def test_a_subject_before_but_with_an_adverb_only_after_it() -> None:
    # «X role اما اخیرا گفته است»: «اما» starts no new subject when no verb follows it before the quote verb.
    assert extract_text("کامیار نیک‌سرشت اقتصاددان اما دیروز گفته است که تورم بالاست.") == ["کامیار نیک‌سرشت"]
    assert extract_text("کامیار نیک‌سرشت به تهران رفت اما مردم گفتند که تورم بالاست.") == []


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A name cut short by the rules is taken on to the comma before its role ...
        ("کامیار تیزگام تابان، رئیس اتاق بازرگانی گفت: صادرات بالا رفت.", ["کامیار تیزگام تابان"]),
        # ... or to the quote mark that closes it, a particle inside («فن در»).
        ("به گزارش ایسنا، «اورسولا فن در برگ» رئیس کمیسیون تاکید کرد که صبر کنیم.", ["اورسولا فن در برگ"]),
        # Not over a word that is no name («امروز»), nor with no role after the comma.
        ("کامیار تیزگام امروز، رئیس اتاق را دید و گفت: صادرات بالا رفت.", ["کامیار تیزگام"]),
    ],
)
def test_a_name_cut_short_goes_on_to_the_mark_that_closes_it(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # «به نقل از X» reports X's words, as «به گفته X» does, when X is a person ...
        ("به گزارش کاوش‌نیوز، به نقل از «ویلیام فرنزی»، یک متخصص آبزیان: لاک‌پشت‌ها کم شده‌اند.", ["ویلیام فرنزی"]),
        ("باشگاه به نقل از کامیار نیک‌سرشت اعلام کرد قسط دوم واریز شد.", ["کامیار نیک‌سرشت"]),
        # ... and not an outlet, which it names as often.
        ("به گزارش کاوش‌نیوز به نقل از گاردین تایمز، بازار آرام است.", []),
    ],
)
def test_according_to_a_report_of(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # Given names the lists lacked: «کمیل», «ربعلی», «شکرالله» ...
        ("کمیل پاکدامن، کارشناس اقتصادی، می‌گوید: این دیدگاه درست نیست.", ["کمیل پاکدامن"]),
        ("ربعلی کشتگرزاده گفت: محصول را برداشت نمی‌کنیم.", ["ربعلی کشتگرزاده"]),
        ("شکرالله کشتگرزاده گفت: محصول را برداشت نمی‌کنیم.", ["شکرالله کشتگرزاده"]),
        # ... and everyday words that are given names before a surname no dictionary counts.
        ("کرم کشتگرزاده گفت: محصول را برداشت نمی‌کنیم.", ["کرم کشتگرزاده"]),
    ],
)
def test_given_names_the_lists_lacked(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


def test_a_proposal_is_reported_words_and_a_passive_write_is_not() -> None:
    assert extract_text("کامیار نیک‌سرشت، رئیس اتاق پیشنهاد داد: ظرفیت‌ها را ببینیم.") == ["کامیار نیک‌سرشت"]
    # «متن توافق نوشته شد»: the text was written (a passive), no one wrote it here.
    assert extract_text("کامیار نیک‌سرشت آمد. او ماند و متن توافق نوشته شد اما امضا نشد.") == []


def test_a_surname_and_its_ending_written_apart_are_one_surname() -> None:
    # «کیانی فر» is «کیانی‌فر» written apart: no given name, yet a surname by its ending.
    said = "کیانی فر با بیان اینکه تولید مهم است، تصریح کرد: مجلس مخاطب است."
    assert extract_text(said) == ["کیانی فر"]
    assert extract_text("دولت فر با بیان اینکه تولید مهم است، تصریح کرد: مجلس مخاطب است.") == []


def test_a_name_that_ends_a_frame_segment_before_comma_and_verb_has_the_quote() -> None:
    # «در این همایش X، افزود: Q»: the frame segment ends with the name, the comma with the verb; Q is X's.
    said = find_speakers(_article("در این همایش کامیار نیک‌سرشت، افزود: هر ملتی تاریخی دارد."))
    assert [(s.name, s.quotes) for s in said] == [("کامیار نیک‌سرشت", ("هر ملتی تاریخی دارد.",))]


# Issue 17, ninth session. An initial's dot is no sentence end: the name goes on («ام. کیث چن»),
# across a line break too (ir-news gives a sentence a line); a dot after a word that is also a
# letter's name ends the sentence before a common word («در ماه دی. کیوان ...»).
@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("به گفته ام. تیبور هالستد، اقتصاددان دانشگاه، بازار آرام است.", ["ام. تیبور هالستد"]),
        ("جرج دبلیو. کینزبری، رئیس بنیاد، گفت: بودجه کافی است.", ["جرج دبلیو. کینزبری"]),
        ("نشست با ج.\n\nهالستد آغاز شد. ج. هالستد گفت: جلسه تمام شد.", ["ج. هالستد"]),
        ("کار در ماه دی. کیوان رهنما گفت: سلام.", ["کیوان رهنما"]),
        ("او گفت «جی. پی. اس گوشی همه جا را می‌داند».", []),
    ],
)
def test_an_initial_is_part_of_the_name(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "together"),
    [
        ("به گفته ام. تیبور هالستد بازار آرام است.", True),
        ("نشست با جی. پی. بارنزلی آغاز شد.", True),
        ("کار در ماه دی. کیوان رهنما آمد.", False),
        ("نامه را به ج. سپس به دیگران دادند.", False),
    ],
)
def test_the_sentence_splitter_and_the_tokenizer_read_an_initial_alike(text: str, together: bool) -> None:
    # One rule (``tokens.initial_then_name``) decides both: the dot is no sentence end exactly
    # where the tokenizer makes the letter and its dot one word of a name.
    assert (len(list(sentences([text]))) == 1) is together
    assert any(is_initial(token) for token in tokenize(text)) is together


def test_a_pronoun_after_a_person_introduced_with_a_role_is_that_person() -> None:
    # «او» after a sentence that quoted no one and named one person with a role after the name is
    # that person, though someone else was quoted before; with no role there, the person quoted last.
    text = "کیوان رهنما گفت: سلام. مایکل هالستد، وزیر خارجه کشور، این طرح را رد می‌کند. او می‌گوید: طرح شکست خورده است."
    assert extract_text(text) == ["کیوان رهنما", "مایکل هالستد"]
    text = "کیوان رهنما گفت: سلام. مایکل هالستد دیروز به شهر آمد. او می‌گوید: طرح شکست خورده است."
    assert extract_text(text) == ["کیوان رهنما"]
    # A role before the name («امام حسین») is a title as often: it introduces no one.
    text = "کیوان رهنما گفت: سلام. مردم از امام رضا یاد کردند. وی تصریح کرد: سلام."
    assert extract_text(text) == ["کیوان رهنما"]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # «شهر»، «شهید» end a name but go on a role: the name after «عضو شورای شهر» is the subject.
        ("عضو شورای شهر کیوان رهنما گفت: پارک تازه باز می‌شود.", ["کیوان رهنما"]),
        ("رئیس بنیاد شهید استان مینا سپیدرود گفت: سلام.", ["مینا سپیدرود"]),
        ("در دیدار با رئیس شورای شهر کیوان رهنما گفت: سلام.", []),
    ],
)
def test_a_role_of_the_city_council_names_the_subject(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


# Issue 17, tenth session: the role after a name marks it, after a semicolon or four words long.
@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A semicolon between a name and its role is the apposition's comma.
        ("کیوان رهنما؛ مدیر کتابخانه شهر در یادداشتی نوشت: کار سخت است.", ["کیوان رهنما"]),
        # ... but a semicolon after a clause still ends it: the role alone names no one.
        ("باران آمد؛ مدیر کتابخانه شهر در یادداشتی نوشت: کار سخت است.", []),
        # A foreign name of four words no list holds, right before «، role».
        ("یوهان آدلبرت ویندل فلوتو، مدیر موزه شهر، گفت: سلام.", ["یوهان آدلبرت ویندل فلوتو"]),
        # Without the role after it the whole name is the right answer, but the extractor reads a name
        # no list holds as four words only before «، role», and cuts this one to its first two words:
        # a known shortfall (issue 17), kept here so that the day it is read whole, this test says so.
        pytest.param(
            "یوهان آدلبرت ویندل فلوتو دیروز به شهر آمد و گفت: سلام.",
            ["یوهان آدلبرت ویندل فلوتو"],
            marks=pytest.mark.xfail(strict=True, reason="a four-word unlisted name is read whole only before «، role»"),
        ),
    ],
)
def test_a_role_after_a_name_marks_it(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # Two everyday words open two sentences, once right before a quote verb: the article's name for someone.
        (
            "بهار کوهستان که سه روز است در پی خانه‌ای کوچک است، می‌گوید: اجاره بالاست. همسایه‌ها ناراضی‌اند. "
            "بهار کوهستان می‌افزاید: آب گران است.",
            ["بهار کوهستان"],
        ),
        # Once only, the words are not read as a name.
        ("بهار کوهستان که سه روز است در پی خانه‌ای کوچک است، می‌گوید: اجاره بالاست.", []),
        # Two words with no given name or surname in them are a place, not a person.
        ("ایالات متحده اعلام کرده که سفیری می‌فرستد. ایالات متحده افزود: سفیر فردا می‌رسد.", []),
        # Part of a longer name the article gives stays that person.
        ("احمد رحمت‌بخش گفت: قیمت بالاست. رحمت بخش ادامه داد: بازار آرام است. رحمت بخش افزود: سلام.", ["احمد رحمت‌بخش"]),
    ],
)
def test_a_pair_of_words_that_opens_the_article_s_quotes_is_a_name(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


def test_a_pair_of_words_inside_a_longer_name_is_no_second_person() -> None:
    # The full name keeps a «در» the source joined to it with a ZWNJ («...‌بخش‌در»; two ZWNJs, so
    # the tokenizer leaves it whole), and the names are not merged at the end: only
    # ``extract._repeated_subjects``'s longer-name check keeps «رحمت بخش», which opens two
    # sentences, from being a second person.
    text = "کاوه رحمت‌بخش‌در نشست گفت: بازار آرام است. رحمت بخش ادامه داد: قیمت بالاست. رحمت بخش افزود: سلام."
    (name,) = extract_text(text)
    assert name.startswith("کاوه رحمت")


@pytest.fixture
def joined_surname() -> Iterator[None]:
    """The corpus model knows one surname written joined, «مهرآذین‌فرد», and nothing else."""
    from indexer.speakers.model import NameModel
    from indexer.speakers.names import _set_corpus

    _set_corpus(NameModel(surnames=frozenset({"مهرآذینفرد"})))
    yield
    _set_corpus(None)


SURNAMES_APART = [
    # The surname's second word is a common word («فرد»): the corpus's joined spelling keeps it in the name.
    ("کیوان مهرآذین فرد گفت: بازار آرام است.", ["کیوان مهرآذین فرد"], ["کیوان مهرآذین"]),
    ("به گفته کیوان مهرآذین فرد بازار آرام است.", ["کیوان مهرآذین فرد"], ["کیوان مهرآذین"]),
    ("دکتر مهرآذین فرد گفت: بازار آرام است.", ["مهرآذین فرد"], ["مهرآذین"]),
    # Alone in subject place, the two words are the surname.
    ("مهرآذین فرد افزود: بازار آرام است.", ["مهرآذین فرد"], []),
    # Named in full with the surname joined, then by the surname written apart: one person.
    (
        "کیوان مهرآذین‌فرد دیروز به شهر آمد. مهرآذین فرد افزود: بازار آرام است.",
        ["کیوان مهرآذین‌فرد"],
        [],
    ),
    # A pair the corpus never writes joined stays cut: «فرد» is a word after «رهنما».
    ("کیوان رهنما فرد گفت: بازار آرام است.", ["کیوان رهنما"], ["کیوان رهنما"]),
]


@pytest.mark.parametrize(("text", "speakers", "_without"), SURNAMES_APART)
def test_a_surname_the_corpus_writes_joined_is_whole_when_written_apart(
    text: str, speakers: list[str], _without: list[str], joined_surname: None
) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(("text", "_with", "speakers"), SURNAMES_APART)
def test_without_the_joined_surname_the_name_is_cut(text: str, _with: list[str], speakers: list[str]) -> None:
    from indexer.speakers.model import NameModel
    from indexer.speakers.names import _set_corpus

    _set_corpus(NameModel())
    try:
        assert extract_text(text) == speakers
    finally:
        _set_corpus(None)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # The lead quotes a role; the agency's sentence after it names the person, in words no list holds.
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا، پیروز تیزکوهی دوشنبه در نشست خبری"
         " افزود: کلاس‌ها برقرار است.", ["پیروز تیزکوهی"]),
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا پیروز تیزکوهی افزود: کلاس‌ها برقرار است.",
         ["پیروز تیزکوهی"]),
        # A day glued to the name by a ZWNJ (Hamshahri's NO-BREAK SPACE) is no part of it.
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا پیروز تیزکوهی\u200cسه\u200cشنبه در نشست"
         " خبری افزود: کلاس‌ها برقرار است.", ["پیروز تیزکوهی"]),
        # A role written with a ZWNJ and glued to a day («اقتصاد‌دان‌سه‌شنبه») passes as a name word
        # (``is_name_word`` keys the whole token, which is no role); the word before the day is
        # one, and a role among the words makes them no name.
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا پیروز تیزکوهی اقتصاد\u200cدان"
         "\u200cسه\u200cشنبه در نشست خبری افزود: کلاس‌ها برقرار است.", []),
        # No role waits: the same words are not read as a name.
        ("به گزارش ایرنا، پیروز تیزکوهی دوشنبه در نشست خبری افزود: کلاس‌ها برقرار است.", []),
        # Everyday words after the frame are no name, even while a role waits.
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا، بازار بزرگ در این روزها"
         " اعلام کرد: کلاس‌ها برقرار است.", []),
        # One word after the frame is too little to name the role.
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا، تیزکوهی در نشست خبری افزود:"
         " کلاس‌ها برقرار است.", []),
        # An outlet the frame cites is no person («اسکای» and «نیوز» are outlet words of the corpus).
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا، اسکای نیوز در گزارشی افزود:"
         " کلاس‌ها برقرار است.", []),
        # Without «به» there is no report frame: the text of a report blamed the person, who said nothing.
        ("مدیر کل آموزش استان گفت: مدارس فردا باز است. متن گزارش، پیروز تیزکوهی را مقصر دانست و افزود:"
         " کلاس‌ها برقرار است.", []),
    ],
)
def test_the_lead_s_role_is_named_right_after_the_report_frame(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


def test_the_corpus_model_learns_an_outlet_from_the_report_frame() -> None:
    from indexer.speakers.model import NameModel, build
    from indexer.speakers.names import _set_corpus

    # «به گزارش X،» three times: X is an outlet, though the corpus writes it elsewhere more often
    # («خبرنگار تیزنیوز»، under the share of ``outlet`` words). A word hazm counts as an everyday
    # one («آینه») is an outlet in the frame only: elsewhere it may be a word or part of a name.
    frame = [f"به گزارش {outlet}، جلسه {n} برگزار شد." for outlet in ("تیزنیوز", "آینه") for n in range(3)]
    elsewhere = [f"خبرنگار {outlet} در {place} بود." for outlet in ("تیزنیوز", "آینه") for place in "ABCDEFGH"]
    model = build(frame + elsewhere)
    assert "تیزنیوز" in model.outlets and "آینه" not in model.outlets
    assert model.reports == {"آینه"}
    assert not build(frame[:2] + frame[3:5]).reports  # twice is not enough
    # The frame without a comma then ends at the outlet, and the name after it is read.
    text = "مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش آینه پیروز تیزکوهی افزود: کلاس‌ها برقرار است."
    _set_corpus(NameModel(reports=frozenset({"آینه"})))
    try:
        assert extract_text(text) == ["پیروز تیزکوهی"]
    finally:
        _set_corpus(None)
    _set_corpus(NameModel())
    try:
        assert extract_text(text) == []
    finally:
        _set_corpus(None)


def test_a_surname_of_two_words_after_a_title_is_the_person_named_in_full() -> None:
    # The last two words of the full name, not only the last one, are the surname the title takes.
    text = "کاوه تیزرو کوهپایه گفت: بازار آرام است. دکتر تیزرو کوهپایه افزود: قیمت بالاست."
    assert extract_text(text) == ["کاوه تیزرو کوهپایه"]


def test_the_lead_s_role_quote_goes_to_the_person_named_after_the_frame() -> None:
    text = (
        "مدیر کل آموزش استان گفت: مدارس فردا باز است. به گزارش ایرنا، پیروز تیزکوهی در نشست خبری افزود:"
        " کلاس‌ها برقرار است."
    )
    (speaker,) = find_speakers(_article(text))
    assert speaker.quotes == ("مدارس فردا باز است.", "کلاس‌ها برقرار است.")


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A preposition glued to the next word («درگفتگو»، «بااشاره») ends the name before it.
        ("کیوان مهرآذین درگفتگو با «کوهستان» افزود: بازار آرام است.", ["کیوان مهرآذین"]),
        ("دکتر کیوان مهرآذین بااشاره به بازار افزود: بازار آرام است.", ["کیوان مهرآذین"]),
        # Names that start so are names («درخشان»، «بهرامی»).
        ("کیوان درخشان گفت: بازار آرام است.", ["کیوان درخشان"]),
        ("کیوان بهرامی گفت: بازار آرام است.", ["کیوان بهرامی"]),
    ],
)
def test_a_preposition_glued_to_a_word_ends_the_name(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # «زاده» written apart ends a surname («تیزرو زاده»), though alone it reads as a participle («born»).
        ("کاوه تیزرو زاده کارشناس مسائل بندر در گفتگو با خبرنگار ما گفت: بازار آرام است.", ["کاوه تیزرو زاده"]),
        ("دکتر کاوه تیزرو زاده روز شنبه اظهار داشت: بازار آرام است.", ["کاوه تیزرو زاده"]),
        ("به گزارش ایسنا، سید کاوه تیزرو زاده هاشمی در مراسم دانشجو گفت: بازار آرام است.", ["کاوه تیزرو زاده هاشمی"]),
        # A rank and a surname in two words: «میرکی» is the surname's first word here.
        ("سرهنگ میرکی زاده خاطرنشان کرد: بازار آرام است.", ["میرکی زاده"]),
    ],
)
def test_zadeh_written_apart_ends_the_surname(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # One person spelt two ways in one article: «ئ» or «ی», «الله» or «اله»; the first spelling stays.
        ("کیوان کوثرائی گفت: بازار آرام است. دکتر کوثرایی افزود: قیمت بالاست.", ["کیوان کوثرائی"]),
        ("رحمت‌الله کیانفر گفت: بازار آرام است. رحمت‌اله کیانفر هم گفته است: قیمت بالاست.", ["رحمت‌الله کیانفر"]),
        # Two names one letter apart otherwise are two people.
        ("کیوان احمدی گفت: بازار آرام است. کیوان محمدی افزود: قیمت بالاست.", ["کیوان احمدی", "کیوان محمدی"]),
    ],
)
def test_one_person_spelt_two_ways_is_one_speaker(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A view stated: «X ... را ... دانست»، «ارزیابی کرد»، «پیش‌بینی کرد».
        ("کامیار نیک‌سرشت، مدیر بندر، کمبود اسکله را عامل اصلی تاخیر دانست.", ["کامیار نیک‌سرشت"]),
        ("همچنین کامیار نیک‌سرشت وضع بازار را مثبت ارزیابی کرد.", ["کامیار نیک‌سرشت"]),
        ("کامیار نیک‌سرشت پیش‌بینی کرد قیمت‌ها پایین بیاید.", ["کامیار نیک‌سرشت"]),
        # «دانست» without an object is «learnt», not a view.
        ("کامیار نیک‌سرشت دانست که قطار رفته است.", []),
        # A view is a weak cue: the subject opens its segment and is a name the lists read.
        ("آن روز دیدار کامیار نیک‌سرشت و مهران تیزرو را نشانه آشتی دانست.", []),
        ("شورای هنرمندان جوان دوازده فیلم را شایسته دانست.", []),
        # ... nor one that ran on into the object («تیزرو را»).
        ("کامیار نیک‌سرشت تیزرو را خطری برای بازار دانست.", []),
    ],
)
def test_a_view_stated_with_its_verb_reports_the_speaker(text: str, speakers: list[str]) -> None:
    assert extract_text(text) == speakers


def test_a_view_stated_is_the_speaker_s_quote() -> None:
    (speaker,) = find_speakers(_article("کامیار نیک‌سرشت کمبود اسکله را عامل اصلی تاخیر دانست."))
    assert speaker.quotes == ("کمبود اسکله را عامل اصلی تاخیر",)


def test_the_corpus_model_learns_a_surname_from_its_spellings_in_two_words() -> None:
    from indexer.speakers.model import build
    from indexer.speakers.names import _set_corpus

    # Three times in two words where a surname stands, once joined: one surname, «مهرآذین‌فرد».
    apart = [f"دکتر کیوان مهرآذین فرد گفت: جلسه {n} برگزار شد." for n in range(3)]
    joined = ["مهرآذین‌فرد در شهر بود."]
    # A pair that also stands after a given name but mostly elsewhere is two words («ماه جاری»).
    month = ["سخنگو در بهمن ماه جاری گفت: جلسه برگزار شد."] * 3 + ["ماه‌جاری آمد."] + ["در ماه جاری باران آمد."] * 6
    model = build(apart + joined + month)
    assert "مهرآذینفرد" in model.surnames
    assert "ماهجاری" not in model.surnames
    # Never written joined, the two words are not learned as one surname.
    assert "مهرآذینفرد" not in build(apart).surnames
    _set_corpus(model)
    try:
        assert extract_text("مهرآذین فرد افزود: بازار آرام است.") == ["مهرآذین فرد"]
    finally:
        _set_corpus(None)


def test_the_corpus_model_learns_no_initial_as_a_surname() -> None:
    from indexer.speakers.model import build

    # Letters only (``cues.LETTERS_ONLY``, the pattern of the extractor's other letter tests): an
    # initial («ا.») stands where a surname stands, after a given name, but is none.
    texts = [f"دکتر کیوان {word} گفت: جلسه {n} برگزار شد." for word in ("ا.", "تیزرو") for n in range(3)]
    surnames = build(texts).surnames
    assert "تیزرو" in surnames
    assert "ا." not in surnames


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # A clause after «verb که» with its own subject and quote verb: the name after «که» said it.
        (
            "از شهرداری درباره قطعی برق پرسیدیم که «کاوه رنجبران» مدیر خدمات شهری در پاسخ تاکید کرد: "
            "باران می‌بارد.",
            {"کاوه رنجبران": ("باران می‌بارد.",)},
        ),
        (
            "حرکت قطار بعد از آن آغاز شد که کاوه رنجبران رئیس راه آهن اعلام کرد مسیر باز است.",
            {"کاوه رنجبران": ("مسیر باز است.",)},
        ),
        # Not across a comma: the quote verb is another clause's («... به سفر برود، هر چی گفت»).
        ("قرار بود که کاوه رنجبران به سفر برود، هر چی گفت گوش دادم.", {}),
    ],
)
def test_the_name_after_verb_and_ke_is_the_subject_of_its_clause(text: str, said: dict[str, tuple[str, ...]]) -> None:
    assert {s.name: s.quotes for s in find_speakers(_article(text))} == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # «اظهارات/ادعای X مبنی بر Q»: X's words Q, cited with what they say, answered or not.
        (
            "کامیار نیک‌سرشت در خصوص اظهارات کاوه رنجبران مبنی بر اینکه بازار آرام است، گفت: چنین نیست.",
            {"کامیار نیک‌سرشت": "چنین نیست", "کاوه رنجبران": "بازار آرام است"},
        ),
        # A name no list holds, in quote marks before its role; then «را رد کرد».
        (
            'شهردار ادعای "ماریا لوندگرن" سخنگوی آژانس مبنی بر آلودگی رودخانه را رد کرد.',
            {"ماریا لوندگرن": "آلودگی رودخانه"},
        ),
        # Two people joined by «و», and words that are no role between the name and «مبنی بر».
        (
            "مسافران از سخنان اخیر کاوه رنجبران و کامیار نیک‌سرشت در گردهمایی انجمن محله مبنی بر "
            "ارزان شدن بلیت‌ها خوشحال شدند.",
            {"کاوه رنجبران": "ارزان شدن بلیت‌ها", "کامیار نیک‌سرشت": "ارزان شدن بلیت‌ها"},
        ),
        # Not a role alone, an adjective after the noun, or a name before a verb of another clause.
        ("شهردار اظهارات وزیر بهداشت مبنی بر آلودگی رودخانه را رد کرد.", {}),
        ("شهردار ادعای واهی مدیر کارخانه مبنی بر آلودگی رودخانه را رد کرد.", {}),
        ("ادعای کاوه رنجبران رد شد و خبری مبنی بر آلودگی رودخانه منتشر شد.", {}),
    ],
)
def test_a_claim_cited_with_mabni_bar_is_its_authors(text: str, said: dict[str, str]) -> None:
    found = {s.name: s.quotes for s in find_speakers(_article(text))}
    assert set(found) == set(said)
    for name, words in said.items():
        assert found[name][0].startswith(words), found[name]


def test_who_speaks_after_a_claim_cited_is_not_its_author() -> None:
    # «وی» in the next sentence is the one who answered the claim, not the one who made it.
    text = "کامیار نیک‌سرشت در پاسخ به ادعای کاوه رنجبران مبنی بر گرانی نان گفت: چنین نیست. وی افزود: نان ارزان است."
    found = {s.name: s.quotes for s in find_speakers(_article(text))}
    assert set(found) == {"کامیار نیک‌سرشت", "کاوه رنجبران"}
    assert "نان ارزان است." in found["کامیار نیک‌سرشت"]
    assert not any("ارزان" in q for q in found["کاوه رنجبران"])


def test_a_role_quoted_before_does_not_go_to_a_claims_author() -> None:
    # The lead's role waits for its name: the person whose claim is cited is not that name.
    text = (
        "مدیر کل بنادر گفت: بار تخلیه شد. به گزارش ایرنا، وی درباره ادعای کاوه رنجبران مبنی بر توقف "
        "کشتی‌ها توضیح داد: چنین نیست."
    )
    found = {s.name: s.quotes for s in find_speakers(_article(text))}
    assert list(found) == ["کاوه رنجبران"]
    assert not any("تخلیه" in q for q in found["کاوه رنجبران"])


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # «X در کتاب/یادداشت خود آورده است: Q»: what X wrote down.
        ("کاوه رنجبران در کتاب خود درباره شهر آورده است: شهر زیباست.", {"کاوه رنجبران": ("شهر زیباست.",)}),
        ("کامیار نیک‌سرشت در یادداشتی که منتشر شد، آورده: بازار آرام است.", {"کامیار نیک‌سرشت": ("بازار آرام است.",)}),
        # Not without the colon (brought something), nor for an office no list names.
        ("کاوه رنجبران کتاب را به خانه آورده است.", {}),
        ("دادسرای عمومی در خبرنامه خود آورده است: پرونده‌ها کم شده است.", {}),
    ],
)
def test_words_written_down_with_avordeh_ast(text: str, said: dict[str, tuple[str, ...]]) -> None:
    assert {s.name: s.quotes for s in find_speakers(_article(text))} == said
