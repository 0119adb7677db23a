"""Words cited inside other words: sayings cited by a title and a name («امام X (ره) فرمودند ...»،
«حضرت X (ع) می‌فرمایند ...»), and scholars an essay cites by a surname alone («W می‌گوید: «...»»).

A speech, a sermon or an interview's answer often cites a revered figure's words, inside its
own quote («X گفت: امام Y (ع) فرمودند ...»). The name after «امام» or «حضرت» is read nowhere
else: «امام» heads a role chain as often («امام جمعه شهر گفت»), and the name is a common word
by hazm's counts. Here it is a speaker when a blessing follows it («(ره)»، «(ع)»، «علیه
السلام»: said only of a person), or when it is a given name, and a verb of respect follows at
once («فرمودند»، «می‌فرماید»).
Such a saying is nested in the words of the person who cites it: it does not change who «وی»
in the next sentence is (``extract`` keeps the speaker it cites for that).
"""

from __future__ import annotations

from collections.abc import Iterator

from indexer.speakers.cues import OPENING, SEGMENT_END
from indexer.speakers.lexicon import STOP
from indexer.speakers.names import is_given_name, is_name_word, is_outlet, is_role
from indexer.speakers.quotes import quote_after
from indexer.speakers.state import Quote
from indexer.speakers.words import frequency, in_dictionary, is_verb_form, key

# Titles a revered figure's name follows («حضرت امام X»، «امیرالمؤمنین X»).
_TITLES = frozenset({"امام", "حضرت", "امیرالمؤمنین", "امیرالمومنین"})
# A blessing in brackets after the name: «(ع)»، «(ره)»، «(س)»، «(ص)»، «(عج)».
_BRACKETED = frozenset({"ع", "ره", "س", "ص", "عج", "رض"})
# A blessing in words: «علیه‌السلام»، «علیه السلام»، «علیها السلام»، «رحمه الله»، «قدس سره».
_BLESSINGS = frozenset(
    {"علیهالسلام", "علیهاالسلام", "علیهمالسلام", "علیه السلام", "علیها السلام", "رحمه الله", "قدس سره"}
)
# Verbs of the plural of respect and their singular, kept for revered figures («فرمود»). Not «گفت»:
# a name ending a phrase before it is its object as often («در مراسم ولادت امام X (ع) گفت»).
_SAYS = frozenset({"فرمودند", "فرمود", "میفرمایند", "میفرماید", "میفرمودند", "میفرمود", "فرمودهاند", "فرموده"})
# «فرموده شده»: the passive.
_PASSIVE = frozenset({"شده", "شد", "میشود", "شود"})
# Epithets after «امام» that are no name: «امام راحل (ره)»، «امام بزرگوار».
_EPITHETS = frozenset({"راحل", "فقید", "بزرگوار", "کبیر", "عزیز", "شهید", "زمان", "عصر", "امت", "جمعه", "جماعت"})
# What may stand right before the title: the clause's start, a mark, or «و»، «که» («... و امام X (ع) فرمود»).
_OPENS = frozenset({":", "،", ",", "؛", ".", "!", "?", "؟", "«", "»", '"', "-", "و", "که", "چنانکه", "همانطورکه"})
#: Name words between a title and the blessing or verb («امام X Y (ع)»).
_NAME_WORDS = 2


def sayings(tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str]) -> Iterator[Quote]:
    """Each «title name (blessing) verb» saying of a sentence, with what follows the verb.

    >>> toks = "علی آذرپی گفت : امام رهنما ( ره ) فرمودند که مردم را باید دید".split()
    >>> [(q.words, q.surface) for q in sayings(toks, [(0, 0)] * len(toks), "", [key(t) for t in toks])]
    [(['رهنما'], 'امام رهنما')]
    >>> toks = "امام جمعه شهر فرمودند که مردم را باید دید".split()
    >>> list(sayings(toks, [(0, 0)] * len(toks), "", [key(t) for t in toks]))
    []
    """
    if _TITLES.isdisjoint(keys):
        return  # most sentences
    n = 0
    while n < len(keys):
        if keys[n] not in _TITLES or (n and keys[n - 1] not in _OPENS):
            n += 1
            continue  # «ولادت امام X (ع)»، «به امام X فرمودند»: a name inside a phrase
        start = n
        while n < len(keys) and keys[n] in _TITLES:
            n += 1
        begin = n
        while n < len(tokens) and n - begin < _NAME_WORDS and not _blessing(tokens, keys, n) and _name_word(tokens[n]):
            n += 1
        words = tokens[begin:n]
        blessed = _blessing(tokens, keys, n)
        verb = n + blessed
        if not words or not _says(keys, verb):
            continue
        if not blessed and not is_given_name(words[-1]):
            continue  # «امام جمعه فرمودند» is a role; a given name or a blessing says it is a person
        after = verb + (2 if keys[verb] == "می" else 1)
        if after < len(keys) and keys[after] in _PASSIVE:
            continue  # «... به حضرت X (ع) فرموده شده است»: said to them
        if keys[verb] == "فرموده" and after < len(keys) and keys[after] in ("است", "اند", "بودند", "بود"):
            after += 1
        yield Quote(words, " ".join(tokens[start:n]), quote_after(tokens, spans, norm, keys, after))
        n = after


def _name_word(token: str) -> bool:
    k = key(token)
    return is_name_word(token) and not is_role(token) and k not in STOP and k not in _TITLES and k not in _EPITHETS


def _blessing(tokens: list[str], keys: list[str], at: int) -> int:
    """How many tokens of a blessing start at ``at`` («( ع )» is three, «علیه السلام» two)."""
    if at + 2 < len(tokens) and tokens[at] == "(" and keys[at + 1] in _BRACKETED and tokens[at + 2] == ")":
        return 3
    if at < len(keys) and keys[at] in _BLESSINGS:
        return 1
    if at + 1 < len(keys) and f"{keys[at]} {keys[at + 1]}" in _BLESSINGS:
        return 2
    return 0


def _says(keys: list[str], at: int) -> bool:
    """Whether a saying verb starts at ``at`` («فرمودند»، «می فرمایند» written apart)."""
    if at >= len(keys):
        return False
    return keys[at] in _SAYS or (keys[at] == "می" and at + 1 < len(keys) and "می" + keys[at + 1] in _SAYS)


# An essay's scholar cited by surname alone: «W می‌گوید: «...»»، «W در کتاب خود می‌نویسد: «...»».
_CITES = frozenset({"میگوید", "مینویسد"})
# Pronoun endings glued to a noun («همراهش»، «دوستشان»).
_POSSESSIVES = ("ش", "شان", "م", "مان", "ت", "تان")
# Words that open the phrase between the surname and the verb («W در کتاب خود می‌نویسد»).
_PREPOSITIONS = frozenset({"در", "با", "درباره", "ضمن", "به", "نیز", "هم"})
#: Words of a phrase between the surname and the verb at most («در تعریف این واژه»).
_PHRASE = 6


def cited_surname(tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str]) -> Iterator[Quote]:
    """A sentence that opens with one word no dictionary holds and hazm never counts (a foreign
    surname in Persian letters), then at most a short phrase, «می‌گوید» or «می‌نویسد», a colon
    and a quote mark: a scholar an essay cites in their own words («W در تعریف X می‌گوید: «...»»).
    One unknown word alone is too weak elsewhere («W گفت»); the colon and the quote mark are not.

    >>> toks = "ورنهولتس در تعریف خانواده می‌گوید : « خانه پناه است . »".split()
    >>> [q.words for q in cited_surname(toks, [(0, 0)] * len(toks), "", [key(t) for t in toks])]
    [['ورنهولتس']]
    """
    if len(tokens) < 4 or ":" not in tokens:
        return
    word = tokens[0]
    if not (is_name_word(word) and not frequency(word) and not in_dictionary(word)) or is_outlet(word) or is_role(word):
        return
    if any(word.endswith(end) and in_dictionary(word[: -len(end)]) for end in _POSSESSIVES):
        return  # «همراهش می‌گوید»: a dictionary word and a pronoun ending, no surname
    if keys[1] not in _PREPOSITIONS and keys[1] not in _CITES and keys[1] != "می":
        return  # «W X می‌نویسد»: W may be the first word of a longer name
    for n in range(1, min(len(keys) - 2, _PHRASE + 2)):
        verb = n + 1 if keys[n] == "می" else n
        if ("می" + keys[verb] if verb > n else keys[verb]) in _CITES:
            if tokens[verb + 1] == ":" and verb + 2 < len(tokens) and tokens[verb + 2] in OPENING:
                yield Quote([word], word, quote_after(tokens, spans, norm, keys, verb + 1))
            return
        if tokens[n] in SEGMENT_END or tokens[n] in OPENING or is_verb_form(tokens[n]):
            return
