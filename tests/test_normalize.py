"""Normalization rules: one test per character a rule maps, named after it.

Three layers, as in charabia: each rule alone (the ``Rule`` object), the
whole pipeline (``normalize``, and ``fold`` keeping the length), and property
tests on random text. ``\\u0640`` (TATWEEL) in an expected value is
``IGNORABLE``: what a removed character becomes while lengths are kept.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.normalize import (
    FOLD_RULES,
    IGNORABLE,
    compose_hamza_and_madda,
    expand_ligatures,
    fold,
    fold_alef,
    fold_digits,
    fold_heh,
    fold_kaf,
    fold_repeats,
    fold_with_offsets,
    fold_yeh,
    fold_yeh_with_hamza,
    normalize,
    remove_diacritics,
    remove_format_marks,
    space_to_zwnj,
    unfold_presentation_forms,
)

# --- each rule alone, one character a test -----------------------------------------------------


# fold_yeh
def test_arabic_yeh() -> None:
    assert fold_yeh("علي") == "علی"  # U+064A


def test_alef_maksura() -> None:
    assert fold_yeh("موسى") == "موسی"  # U+0649


def test_yeh_barree() -> None:
    assert fold_yeh("ے") == "ی"  # U+06D2


def test_arabic_e() -> None:
    assert fold_yeh("ېک") == "یک"  # U+06D0


# fold_kaf
def test_arabic_kaf() -> None:
    assert fold_kaf("كتاب") == "کتاب"  # U+0643


def test_swash_kaf() -> None:
    assert fold_kaf("ڪتاب") == "کتاب"  # U+06AA


# fold_heh
def test_heh_with_yeh_above() -> None:
    assert fold_heh("خانۀ") == "خانه"  # U+06C0 (ezafe heh)


def test_teh_marbuta() -> None:
    assert fold_heh("مدرسة") == "مدرسه"  # U+0629


def test_heh_doachashmee() -> None:
    assert fold_heh("ھوا") == "هوا"  # U+06BE


def test_heh_goal() -> None:
    assert fold_heh("دانشگاہ") == "دانشگاه"  # U+06C1


def test_heh_goal_with_hamza_above() -> None:
    assert fold_heh("خانۂ") == "خانه"  # U+06C2


def test_ae() -> None:
    assert fold_heh("خانە") == "خانه"  # U+06D5 (Kurdish)


# fold_alef
def test_alef_hamza_above() -> None:
    assert fold_alef("أمید") == "امید"  # U+0623


def test_alef_hamza_below() -> None:
    assert fold_alef("إسلام") == "اسلام"  # U+0625


def test_alef_wasla() -> None:
    assert fold_alef("ٱلله") == "الله"  # U+0671


def test_alef_wavy_hamza_above() -> None:
    assert fold_alef("ٲب") == "اب"  # U+0672


def test_alef_wavy_hamza_below() -> None:
    assert fold_alef("ٳب") == "اب"  # U+0673


def test_alef_madda_kept() -> None:
    assert fold_alef("آب") == "آب"  # U+0622 distinguishes words (آش/اش)


# fold_yeh_with_hamza
def test_yeh_barree_with_hamza_above() -> None:
    assert fold_yeh_with_hamza("مسۓله") == "مسئله"  # U+06D3


# remove_diacritics: each becomes IGNORABLE, in place
def test_fathatan() -> None:
    assert remove_diacritics("حتماً") == "حتما\u0640"  # U+064B


def test_dammatan() -> None:
    assert remove_diacritics("کتابٌ") == "کتاب\u0640"  # U+064C


def test_kasratan() -> None:
    assert remove_diacritics("کتابٍ") == "کتاب\u0640"  # U+064D


def test_fatha() -> None:
    assert remove_diacritics("مَن") == "م\u0640ن"  # U+064E


def test_damma() -> None:
    assert remove_diacritics("نُه") == "ن\u0640ه"  # U+064F


def test_kasra() -> None:
    assert remove_diacritics("فرهنگِ") == "فرهنگ\u0640"  # U+0650 (ezafe)


def test_shadda() -> None:
    assert remove_diacritics("محمّد") == "محم\u0640د"  # U+0651


def test_sukun() -> None:
    assert remove_diacritics("مِهْر") == "م\u0640ه\u0640ر"  # U+0650, U+0652


def test_maddah_above() -> None:
    assert remove_diacritics("ب\u0653") == "ب\u0640"  # U+0653 off an alef


def test_hamza_above() -> None:
    assert remove_diacritics("ه\u0654") == "ه\u0640"  # U+0654


def test_hamza_below() -> None:
    assert remove_diacritics("ا\u0655") == "ا\u0640"  # U+0655


def test_superscript_alef() -> None:
    assert remove_diacritics("رحمٰن") == "رحم\u0640ن"  # U+0670


# remove_format_marks: each becomes IGNORABLE, in place
def test_zwj() -> None:
    assert remove_format_marks("می\u200dروم") == "می\u0640روم"  # U+200D


def test_lrm() -> None:
    assert remove_format_marks("ایران\u200e") == "ایران\u0640"  # U+200E


def test_rlm() -> None:
    assert remove_format_marks("\u200fایران") == "\u0640ایران"  # U+200F


def test_arabic_letter_mark() -> None:
    assert remove_format_marks("\u061cایران") == "\u0640ایران"  # U+061C


def test_bom() -> None:
    assert remove_format_marks("\ufeffسلام") == "\u0640سلام"  # U+FEFF


def test_soft_hyphen() -> None:
    assert remove_format_marks("کتاب\u00adخانه") == "کتاب\u0640خانه"  # U+00AD


def test_word_joiner() -> None:
    assert remove_format_marks("کتاب\u2060خانه") == "کتاب\u0640خانه"  # U+2060


def test_lre() -> None:
    assert remove_format_marks("\u202aCNN") == "\u0640CNN"  # U+202A


def test_rle() -> None:
    assert remove_format_marks("\u202bایران") == "\u0640ایران"  # U+202B


def test_pdf() -> None:
    assert remove_format_marks("ایران\u202c") == "ایران\u0640"  # U+202C


def test_lro() -> None:
    assert remove_format_marks("\u202dCNN") == "\u0640CNN"  # U+202D


def test_rlo() -> None:
    assert remove_format_marks("\u202eایران") == "\u0640ایران"  # U+202E


def test_lri() -> None:
    assert remove_format_marks("\u2066CNN") == "\u0640CNN"  # U+2066


def test_rli() -> None:
    assert remove_format_marks("\u2067ایران") == "\u0640ایران"  # U+2067


def test_fsi() -> None:
    assert remove_format_marks("\u2068ایران") == "\u0640ایران"  # U+2068


def test_pdi() -> None:
    assert remove_format_marks("ایران\u2069") == "ایران\u0640"  # U+2069


# space_to_zwnj: the spaces older text puts where a ZWNJ belongs
def test_no_break_space() -> None:
    assert space_to_zwnj("مي\u00a0كند") == "مي\u200cكند"  # U+00A0


def test_narrow_no_break_space() -> None:
    assert space_to_zwnj("می\u202fروم") == "می\u200cروم"  # U+202F


def test_zero_width_space() -> None:
    assert space_to_zwnj("کتاب\u200bها") == "کتاب\u200cها"  # U+200B


# fold_digits
def test_persian_digits() -> None:
    assert fold_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"  # U+06F0-U+06F9


def test_arabic_indic_digits() -> None:
    assert fold_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"  # U+0660-U+0669


# unfold_presentation_forms: one letter in place
def test_yeh_isolated_form() -> None:
    assert unfold_presentation_forms("\ufef1") == "ی"  # U+FEF1 -> ي -> ی


def test_keheh_final_form() -> None:
    assert unfold_presentation_forms("\ufb8f") == "ک"  # U+FB8F


def test_farsi_yeh_isolated_form() -> None:
    assert unfold_presentation_forms("\ufbfc") == "ی"  # U+FBFC


def test_teh_marbuta_final_form() -> None:
    assert unfold_presentation_forms("\ufe94") == "ه"  # U+FE94 -> ة -> ه


def test_fathatan_isolated_form() -> None:
    assert unfold_presentation_forms("\ufe70") == "\u0640"  # U+FE70


# expand_ligatures: the only rule that changes length
def test_lam_alef_ligature() -> None:
    assert expand_ligatures("\ufefbزم") == "لازم"  # U+FEFB


def test_allah_ligature() -> None:
    assert expand_ligatures("\ufdf2") == "الله"  # U+FDF2


def test_rial_sign() -> None:
    assert expand_ligatures("۱۰۰\ufdfc") == "۱۰۰ریال"  # U+FDFC


def test_bismillah_ligature() -> None:
    # U+FDFD has no decomposition in Unicode: spelled out, as hazm does
    assert expand_ligatures("\ufdfd") == "بسم الله الرحمن الرحیم"
    assert normalize("\ufdfd") == "بسم الله الرحمن الرحیم"


# fold_repeats: a Persian letter typed three or more times, and a run of ZWNJs, kept once
def test_letter_repeated_three_times() -> None:
    assert fold_repeats("سلاممم") == "سلام" + IGNORABLE * 2  # U+0645 MEEM
    assert normalize("خیلیییی") == "خیلی"  # U+06CC FARSI YEH


def test_arabic_yeh_repeated() -> None:
    assert normalize("عالييي") == "عالی"  # U+064A, folded to ی after


def test_letter_repeated_twice_is_spelling() -> None:
    assert fold_repeats("سلامم") == "سلامم"
    assert fold_repeats("الله") == "الله"


def test_latin_and_digits_repeated_are_kept() -> None:
    assert fold_repeats("www 1000 III") == "www 1000 III"


def test_run_of_zwnjs() -> None:
    assert fold_repeats("کاروان\u200c\u200cسرا") == "کاروان\u200c" + IGNORABLE + "سرا"  # U+200C twice
    assert normalize("کاروان\u200c\u200c\u200cسرا") == "کاروان\u200cسرا"


# compose_hamza_and_madda: a letter + a combining madda or hamza is the composed letter, as NFC
# composes it, padded to keep the length
def test_decomposed_alef_madda() -> None:
    assert compose_hamza_and_madda("\u0627\u0653ب") == "آ\u0640ب"  # U+0653 MADDA ABOVE


def test_decomposed_yeh_hamza_above() -> None:
    assert compose_hamza_and_madda("مسي\u0654له") == "مسئ\u0640له"  # U+0654 HAMZA ABOVE


def test_decomposed_farsi_yeh_hamza_above() -> None:
    # NFC composes only the Arabic yeh; Persian keyboards type the Farsi one
    assert compose_hamza_and_madda("مسی\u0654له") == "مسئ\u0640له"


def test_decomposed_alef_hamza_below() -> None:
    assert compose_hamza_and_madda("\u0627\u0655سلام") == "إ\u0640سلام"  # U+0655 HAMZA BELOW


def test_decomposed_letter_composes_across_a_harakat() -> None:
    # NFC composes past a mark of a lower combining class (FATHA, 30, before MADDA, 230)
    assert compose_hamza_and_madda("\u0627\u064e\u0653") == "آ\u064e\u0640"


def test_a_mark_that_composes_with_nothing_is_left_in_place() -> None:
    assert compose_hamza_and_madda("ب\u0654\u064e") == "ب\u0654\u064e"


# normalize's own steps
def test_tatweel() -> None:
    assert normalize("بزرگـــترین") == "بزرگترین"  # U+0640, kashida


def test_latin_lowercased() -> None:
    assert normalize("BBC Persian") == "bbc persian"


def test_whitespace_collapsed() -> None:
    assert normalize("  سلام \n\t دنیا ") == "سلام دنیا"


def test_zwnj_kept() -> None:
    assert normalize("می\u200cروم") == "می\u200cروم"  # ZWNJ is spelling


def test_empty_string() -> None:
    assert normalize("") == ""


def test_empty_string_fold() -> None:
    assert fold_with_offsets("") == ("", None)


def test_rules_have_their_names() -> None:
    assert [rule.name for rule in FOLD_RULES] == [
        "fold_yeh", "fold_kaf", "fold_heh", "fold_alef", "fold_yeh_with_hamza",
        "remove_diacritics", "remove_format_marks", "space_to_zwnj", "fold_digits",
    ]  # fmt: skip


# --- the whole pipeline -----------------------------------------------------------------------

PIPELINE = [
    # fold_yeh
    pytest.param("علي", "علی", id="arabic_yeh"),  # U+064A
    pytest.param("موسى", "موسی", id="alef_maksura"),  # U+0649
    pytest.param("ے", "ی", id="yeh_barree"),  # U+06D2
    pytest.param("ېک", "یک", id="arabic_e"),  # U+06D0
    # fold_kaf
    pytest.param("كتاب", "کتاب", id="arabic_kaf"),  # U+0643
    pytest.param("ڪتاب", "کتاب", id="swash_kaf"),  # U+06AA
    # fold_heh
    pytest.param("خانۀ", "خانه", id="heh_with_yeh_above"),  # U+06C0
    pytest.param("مدرسة", "مدرسه", id="teh_marbuta"),  # U+0629
    pytest.param("ھوا", "هوا", id="heh_doachashmee"),  # U+06BE
    pytest.param("دانشگاہ", "دانشگاه", id="heh_goal"),  # U+06C1
    pytest.param("خانۂ", "خانه", id="heh_goal_with_hamza_above"),  # U+06C2
    pytest.param("خانە", "خانه", id="ae"),  # U+06D5
    # fold_alef
    pytest.param("أمید", "امید", id="alef_hamza_above"),  # U+0623
    pytest.param("إسلام", "اسلام", id="alef_hamza_below"),  # U+0625
    pytest.param("ٱلله", "الله", id="alef_wasla"),  # U+0671
    pytest.param("ٲب", "اب", id="alef_wavy_hamza_above"),  # U+0672
    pytest.param("ٳب", "اب", id="alef_wavy_hamza_below"),  # U+0673
    # fold_yeh_with_hamza
    pytest.param("مسۓله", "مسئله", id="yeh_barree_with_hamza_above"),  # U+06D3
    pytest.param("آب", "آب", id="alef_madda_kept"),  # U+0622 stays
    pytest.param("\u0627\u0653ب", "آب", id="decomposed_alef_madda"),  # alef + U+0653 -> آ, not ا
    # remove_diacritics
    pytest.param("حتماً", "حتما", id="fathatan"),  # U+064B
    pytest.param("کتابٌ", "کتاب", id="dammatan"),  # U+064C
    pytest.param("کتابٍ", "کتاب", id="kasratan"),  # U+064D
    pytest.param("مَن", "من", id="fatha"),  # U+064E
    pytest.param("نُه", "نه", id="damma"),  # U+064F
    pytest.param("فرهنگِ", "فرهنگ", id="kasra"),  # U+0650
    pytest.param("محمّد", "محمد", id="shadda"),  # U+0651
    pytest.param("مهْر", "مهر", id="sukun"),  # U+0652
    pytest.param("ب\u0653", "ب", id="maddah_above"),  # U+0653 on a letter other than alef
    pytest.param("ه\u0654", "ه", id="hamza_above"),  # U+0654
    pytest.param("ا\u0655", "ا", id="hamza_below"),  # U+0655
    pytest.param("رحمٰن", "رحمن", id="superscript_alef"),  # U+0670
    # remove_format_marks
    pytest.param("می\u200dروم", "میروم", id="zwj"),  # U+200D
    pytest.param("ایران\u200e", "ایران", id="lrm"),  # U+200E
    pytest.param("\u200fایران", "ایران", id="rlm"),  # U+200F
    pytest.param("\u061cایران", "ایران", id="arabic_letter_mark"),  # U+061C
    pytest.param("\ufeffسلام", "سلام", id="bom"),  # U+FEFF
    pytest.param("کتاب\u00adخانه", "کتابخانه", id="soft_hyphen"),  # U+00AD
    pytest.param("کتاب\u2060خانه", "کتابخانه", id="word_joiner"),  # U+2060
    pytest.param("\u202aCNN\u202c", "cnn", id="lre_pdf"),  # U+202A ... U+202C
    pytest.param("\u202bایران\u202c", "ایران", id="rle"),  # U+202B
    pytest.param("\u202dCNN", "cnn", id="lro"),  # U+202D
    pytest.param("\u202eایران", "ایران", id="rlo"),  # U+202E
    pytest.param("\u2066CNN\u2069", "cnn", id="lri_pdi"),  # U+2066 ... U+2069
    pytest.param("\u2067ایران\u2069", "ایران", id="rli"),  # U+2067
    pytest.param("\u2068ایران\u2069", "ایران", id="fsi"),  # U+2068
    # space_to_zwnj, then the Arabic letters folded: the Hamshahri spelling
    pytest.param("مي\u00a0كند", "می\u200cکند", id="no_break_space"),  # U+00A0
    pytest.param("می\u202fروم", "می\u200cروم", id="narrow_no_break_space"),  # U+202F
    pytest.param("کتاب\u200bها", "کتاب\u200cها", id="zero_width_space"),  # U+200B
    # fold_digits
    pytest.param("سال ۱۴۰۲", "سال 1402", id="persian_digits"),  # U+06F0-U+06F9
    pytest.param("۰۱۲۳۴۵۶۷۸۹", "0123456789", id="persian_digits_all"),  # every one of them
    pytest.param("سال ١٤٠١", "سال 1401", id="arabic_indic_digits"),  # U+0660-U+0669
    pytest.param("٠١٢٣٤٥٦٧٨٩", "0123456789", id="arabic_indic_digits_all"),  # every one of them
    # presentation forms, folded like the letters they stand for
    pytest.param("\ufef1", "ی", id="yeh_isolated_form"),  # U+FEF1: Arabic yeh -> ی
    pytest.param("\ufb8f", "ک", id="keheh_final_form"),  # U+FB8F
    pytest.param("\ufe8e\ufee7", "ان", id="alef_final_noon_initial_forms"),  # U+FE8E U+FEE7
    pytest.param("\ufe70", "", id="fathatan_isolated_form"),  # U+FE70: a diacritic, removed
    # ligatures, expanded
    pytest.param("\ufefbزم", "لازم", id="lam_alef_ligature"),  # U+FEFB
    pytest.param("\ufdf2", "الله", id="allah_ligature"),  # U+FDF2
    pytest.param("۱۰۰\ufdfc", "100ریال", id="rial_sign"),  # U+FDFC
    # normalize's own steps
    pytest.param("بزرگـــترین", "بزرگترین", id="tatweel"),  # U+0640
    pytest.param("BBC Persian", "bbc persian", id="latin_lowercased"),  # ASCII upper case
    pytest.param("", "", id="empty_string"),  # nothing in, nothing out
]


@pytest.mark.parametrize(("text", "expected"), PIPELINE)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), PIPELINE)
def test_fold_keeps_the_length(text: str, expected: str) -> None:
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(("text", "expected"), PIPELINE)
def test_fold_and_normalize_agree(text: str, expected: str) -> None:
    # normalize = fold, then ligatures expanded, ignorables dropped, Latin lowercased
    folded, _ = fold_with_offsets(text)
    assert folded.replace(IGNORABLE, "").lower() == expected


def test_every_folded_character_has_a_case() -> None:
    # charabia's lesson: a mapping with no input containing its character is untested
    tested = set("".join(p.values[0] for p in PIPELINE))
    untested = {f"U+{cp:04X}" for rule in FOLD_RULES for cp in rule.table if chr(cp) not in tested} - {
        f"U+{cp:04X}" for cp in range(0x0656, 0x0660)
    }  # covered by test_rare_diacritics
    assert untested == set()


@pytest.mark.parametrize(
    "mark", [chr(cp) for cp in range(0x0656, 0x0660)], ids=lambda mark: unicodedata.name(mark).lower().replace(" ", "_")
)
def test_rare_diacritics(mark: str) -> None:
    # U+0656 ARABIC SUBSCRIPT ALEF ... U+065F ARABIC WAVY HAMZA BELOW
    assert remove_diacritics(f"ب{mark}") == "ب\u0640"
    assert normalize(f"ب{mark}") == "ب"


def test_fold_leaves_ligatures_for_fold_with_offsets() -> None:
    assert fold("\ufefbزم") == "\ufefbزم"


def test_fold_with_offsets_maps_a_ligature_to_its_character() -> None:
    assert fold_with_offsets("\ufefbزم") == ("لازم", [0, 0, 1, 2, 3])


def test_fold_with_offsets_without_ligature_keeps_the_offsets() -> None:
    assert fold_with_offsets("كتاب") == ("کتاب", None)


@pytest.mark.parametrize(
    "word",
    [
        "مسئله",  # U+0626 YEH WITH HAMZA ABOVE = U+064A + U+0654
        "مؤسسه",  # U+0624 WAW WITH HAMZA ABOVE = U+0648 + U+0654
    ],
)
def test_hamza_above_decomposed_equals_precomposed(word: str) -> None:
    assert normalize(unicodedata.normalize("NFD", word)) == normalize(word)


# --- properties -------------------------------------------------------------------------------

# Text a Persian news page could hold: Arabic-script letters (Persian and
# Arabic forms), ZWNJ and other joiners/spaces, digits in three scripts,
# diacritics, bidi marks, presentation forms and ligatures.
_PERSIAN_MESS = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
        st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
        st.sampled_from(
            [
                "\u200c",
                "\u200d",
                "\u00a0",
                "\u202f",
                "\u200b",
                " ",
                "\n",
                "\u200e",
                "\u200f",
                "\u202b",
                "\u2067",
                "\u0640",
                "\u0653",
                "ا",
                "ی",
                "ک",
                "۱",
                "١",
                "1",
                "A",
                "z",
                ".",
            ]
        ),
    ),
)
TEXT = st.one_of(st.text(), _PERSIAN_MESS)
_FORBIDDEN = set("\u064a\u0643\u0649\u0629\u06c0")  # ي ك ى ة ۀ


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalize_never_raises_and_folds_arabic_letters(text: str) -> None:
    assert not _FORBIDDEN & set(normalize(text))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_preserves_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_with_offsets_are_within_bounds_and_monotonic(text: str) -> None:
    folded, offsets = fold_with_offsets(text)
    if offsets is None:
        assert len(folded) == len(text)
        return
    assert len(offsets) == len(folded) + 1
    assert all(0 <= o <= len(text) for o in offsets)
    assert offsets == sorted(offsets)
    assert offsets[-1] == len(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_is_one_pass_of_the_merged_table(text: str) -> None:
    """The commonest characters (ي ك NBSP) are swapped before the regex: the result must not change
    (repeated letters are folded after the characters: «ىىې» is three «ی»)."""
    table = {k: v for rule in (*FOLD_RULES, unfold_presentation_forms) for k, v in rule.table.items()}
    assert fold(text) == fold_repeats(compose_hamza_and_madda(text).translate(table))


def test_fold_swaps_the_common_characters_beside_a_rare_one() -> None:
    assert fold("كي\u00a0ة\u064b") == "کی\u200cه" + IGNORABLE


# --- every combining mark after every letter: fold composes as NFC does ------------------------

_MERGED_TABLE = {k: v for rule in (*FOLD_RULES, unfold_presentation_forms) for k, v in rule.table.items()}
_ARABIC_BLOCKS = [*range(0x0600, 0x0700), *range(0x0750, 0x0780), *range(0x0870, 0x0900)]
_ARABIC_MARKS = [chr(cp) for cp in _ARABIC_BLOCKS if unicodedata.category(chr(cp)) == "Mn"]
_BMP = [chr(cp) for cp in range(0x10000) if unicodedata.category(chr(cp)) not in ("Cs", "Mn")]


def _nfc_then_table(letter: str, mark: str) -> str:
    """The specification, written without ``fold``'s code: NFC composes the pair (FARSI YEH as
    the Arabic yeh), the composed letter keeps the mark's place as the ignorable, then the table."""
    composed = unicodedata.normalize("NFC", ("\u064a" if letter == "\u06cc" else letter) + mark)
    pair = composed + IGNORABLE if len(composed) == 1 else letter + mark
    return pair.translate(_MERGED_TABLE)


def test_fold_composes_every_hamza_and_madda_after_every_character() -> None:
    """Every BMP character followed by MADDA ABOVE, HAMZA ABOVE or HAMZA BELOW (exhaustive)."""
    wrong = {
        f"U+{ord(letter):04X}+U+{ord(mark):04X}": fold(letter + mark)
        for letter in _BMP
        for mark in "\u0653\u0654\u0655"
        if fold(letter + mark) != _nfc_then_table(letter, mark)
    }
    assert wrong == {}


def test_fold_composes_every_arabic_mark_after_every_arabic_letter() -> None:
    """Every Arabic-script character followed by every Arabic combining mark (exhaustive)."""
    letters = [chr(cp) for cp in _ARABIC_BLOCKS if unicodedata.category(chr(cp)) != "Mn"]
    wrong = {
        f"U+{ord(letter):04X}+U+{ord(mark):04X}": fold(letter + mark)
        for letter in letters
        for mark in _ARABIC_MARKS
        if fold(letter + mark) != _nfc_then_table(letter, mark)
    }
    assert wrong == {}
