"""The article's names made whole at the end: a mention that read a word too many, a
surname in two words, and a surname-only speaker merged into the full name."""

from __future__ import annotations

from collections import Counter

from indexer.metadata import facet_key
from indexer.speakers.lexicon import SURNAME_PARTS, VERB_STARTS
from indexer.speakers.names import is_corpus_surname, is_given_name, is_name_word
from indexer.speakers.state import Speaker
from indexer.speakers.words import frequency, is_verb_form, key


def trimmed(known: list[list[str]]) -> list[list[str]]:
    """The article's names without a word a mention read too many: a name of three words or
    more that ends in a word hazm's corpus counts and no corpus list holds as a surname, and
    whose first words the article names as often or more on their own, is those words
    («دونالد کارلتون بخشی از طرح ...» once, «دونالد کارلتون» once; «محمد توفیق گلنواز» stays:
    hazm never counts «گلنواز»). A surname part («نژاد») stays.

    >>> trimmed([["دونالد", "کارلتون", "بخشی"], ["دونالد", "کارلتون"]])
    [['دونالد', 'کارلتون'], ['دونالد', 'کارلتون']]
    """
    counts = Counter(facet_key(" ".join(person)) for person in known)
    result = []
    for person in known:
        shorter, last = person[:-1], person[-1]
        if (
            len(person) >= 3
            and key(last) not in SURNAME_PARTS
            and frequency(last) > 0
            and not is_corpus_surname(last)
            and counts[facet_key(" ".join(shorter))] >= counts[facet_key(" ".join(person))]
        ):
            person = shorter
        result.append(person)
    return result


#: A surname's second word shows itself when the article writes the pair this many times at least.
_PAIR_REPEATS = 2


def two_word_surnames(sentences: list[list[str]]) -> dict[str, str]:
    """Words the article always follows with one same name word: the first word of a
    surname in two words (``{"ورزنده": "تبریزی"}`` for «حسین ورزنده تبریزی» … «ورزنده تبریزی گفت»).
    The name rules stop before a common second word («تبریزی»، «ترکمن»، «ساز»); the
    article's own repetition shows that it belongs to the name. A word followed by
    different name words, or by its pair fewer than ``_PAIR_REPEATS`` times, gives nothing."""
    after: dict[str, set[str]] = {}
    pairs: dict[str, int] = {}
    for tokens in sentences:
        names = list(map(is_name_word, tokens))  # once a token, not once per pair it is in
        for n in range(len(tokens) - 1):
            if not (names[n] and names[n + 1]):
                continue
            k = key(tokens[n])
            after.setdefault(k, set()).add(tokens[n + 1])
            pairs[k] = pairs.get(k, 0) + 1
    return {
        k: next(iter(words))
        for k, words in after.items()
        if len(words) == 1 and pairs[k] >= _PAIR_REPEATS and _second_word(next(iter(words)))
    }


def _second_word(token: str) -> bool:
    """A word that may end a surname: not a given name, verb or quote verb's first word."""
    k = key(token)
    return not is_given_name(token) and k not in VERB_STARTS and not is_verb_form(token)


def whole_name(name: str, whole: dict[str, str]) -> str:
    """``name`` with the second word of its surname when the article shows one.

    >>> whole_name("حسین ورزنده", {"ورزنده": "تبریزی"}), whole_name("حسن شبانگیز", {"ورزنده": "تبریزی"})
    ('حسین ورزنده تبریزی', 'حسن شبانگیز')
    """
    words = name.split()
    second = whole.get(key(words[-1])) if words else None
    return f"{name} {second}" if second and len(words) < 4 else name


def spelt(word: str) -> str:
    """A name word's key with the spellings Persian news varies on made one: «ئ» as «ی»
    («کوثرائی»، «کوثرایی»), and «اله» for «الله» at a word's end («رحمت‌اله»، «رحمت‌الله»).

    >>> spelt("کوثرائی") == spelt("کوثرایی"), spelt("رحمت‌اله") == spelt("رحمت‌الله"), spelt("احمدی") == spelt("محمدی")
    (True, True, False)
    """
    k = key(word).replace("ئ", "ی")
    return k[:-3] + "الله" if k.endswith("اله") and not k.endswith("الله") else k


def merge_speakers(found: list[Speaker], known: list[list[str]]) -> list[Speaker]:
    """One entry per person: a surname-only speaker becomes the full name the
    article gives («تیزپاک» → «محمدباقر تیزپاک»), and their quotes go with it."""
    speakers = [s.name.split() for s in found if " " in s.name]
    first_spelling: dict[str, str] = {}  # a person the article spells two ways is its first spelling
    for speaker in found:
        first_spelling.setdefault(" ".join(map(spelt, speaker.name.split())), speaker.name)
    merged: dict[str, Speaker] = {}
    for speaker in found:
        name = first_spelling[" ".join(map(spelt, speaker.name.split()))]
        parts = name.split()
        keys = [spelt(w) for w in parts]
        for person in sorted([*speakers, *known], key=len, reverse=True):
            if len(person) < len(parts):
                break
            person_keys = [spelt(w) for w in person]
            if "".join(person_keys) == "".join(keys):
                continue  # the same name, spelt with a space, a ZWNJ or a variant letter: keep the first
            # «تیزپاک» → «محمدباقر تیزپاک»; between speakers also «حسین نیکوفلاح» →
            # «حسین نیکوفلاح کوهپایه» (a mention may have read a word too many).
            # A surname written apart is the same surname («مهرآذین فرد» of «کیوان مهرآذین‌فرد»).
            ends_with = len(parts) <= 2 and any("".join(person_keys[-m:]) == "".join(keys) for m in (1, 2))
            starts_with = len(parts) >= 2 and person_keys[: len(parts)] == keys and person in speakers
            if ends_with or starts_with:
                name = " ".join(person)
                break
        k = facet_key(name)
        if k not in merged:
            merged[k] = Speaker(name=name, sentence=speaker.sentence, surface=speaker.surface, quotes=speaker.quotes)
        else:
            old = merged[k]
            merged[k] = Speaker(old.name, old.sentence, old.surface, tuple(dict.fromkeys(old.quotes + speaker.quotes)))
    return list(merged.values())
