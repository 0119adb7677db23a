"""Who an attribution is, across the article: a name, «وی» (the person quoted last), or a
role («سخنگوی وزارت») the article names elsewhere; the people and roles an article names, and
the words it gives as an outlet's name (never a speaker)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.metadata import facet_key
from indexer.normalize import ZWNJ
from indexer.speakers.cues import LETTERS_ONLY, QUOTE_MARKS, SEGMENT_END, role_follows, role_key
from indexer.speakers.lexicon import FOREIGN, NATIONALITIES, OURS, PRONOUNS, RELATIONS, STOP
from indexer.speakers.names import is_given_name, is_name_word, is_role, may_start_name, read_name
from indexer.speakers.quotes import QUOTE_SENTENCES, add_quote, opens_quote
from indexer.speakers.state import Quote, Speaker, State
from indexer.speakers.subject import is_back_reference
from indexer.speakers.words import frequency, key, token_keys

#: A role-only quote («سخنگوی وزارت گفت: ...») waits this many sentences for the name that says who.
_ROLE_WAIT = 3
#: Fewer occurrences than this in hazm's corpus make a word rare: «طه» after a glued «سید».
_RARE = 1000


# Words an outlet's name follows: «روزنامه «کوهستان پست»»، «خبرگزاری رویترز».
_OUTLET_CUES = frozenset({"روزنامه", "خبرگزاری", "نشریه", "هفتهنامه", "مجله", "شبکه", "تلویزیون", "پایگاه"})


def outlet_words(tokens: list[str]) -> Iterator[str]:
    """The words of an outlet's name after an outlet word, within quote marks or not."""
    keys = token_keys(tokens)
    if _OUTLET_CUES.isdisjoint(keys):
        return  # most sentences
    for n, k in enumerate(keys):
        if k not in _OUTLET_CUES:
            continue
        at = n + 1
        quoted = at < len(tokens) and tokens[at] in QUOTE_MARKS
        at += quoted
        while at < len(tokens) and is_name_word(tokens[at]) and at - n <= 5:
            yield key(tokens[at])
            at += 1
            if not quoted:
                break  # without quote marks, only the first word is surely the outlet's


def attribute(state: State, quote: Quote, sentence: str) -> None:
    """Add the speaker of ``quote`` (a name, «وی», or a role) and what they said."""
    if quote.words and any(key(w) in state.outlets for w in quote.words):
        return  # «کوهستان پست» در شماره امروز نوشت: the article named it an outlet
    k = ""
    if quote.words:
        k = add_speaker(state, quote.words, sentence, quote.surface)
        if k and state.pending:
            for text, _ in state.pending:  # «سخنگوی وزارت گفت: ...» then «X افزود»: X said it
                add_quote(state, k, text)
            state.pending = []
        if k and quote.role:
            state.roles.setdefault(quote.role, k)
    elif quote.role:
        k = state.roles.get(quote.role, "")
        people = state.named_roles.get(quote.role) or state.named_roles.get(quote.role.split(" ")[0], [])
        whose = qualifier(quote.surface.split(), 0)
        if whose:  # «وزیر خارجه کشورمان»، «... روسیه»: not the one the article names «... آمریکا»
            k = "" if _other_country(state.foreign.get(k, ""), whose) else k
            people = [p for p in people if not _other_country(state.foreign.get(facet_key(" ".join(p)), ""), whose)]
        if not k and len(people) == 1:  # the one person the article names with this role («به سرپرستی X»: its head)
            k = add_speaker(state, people[0], sentence, quote.surface)
        if not k and quote.text:
            state.pending.append((quote.text, _ROLE_WAIT))
            return
    elif is_back_reference(quote.surface):
        k = state.current
    if not k:
        return
    state.current = k
    if quote.text:
        if add_quote(state, k, quote.text) and opens_quote(quote.text):
            state.open_quote, state.open_left = k, QUOTE_SENTENCES
    elif quote.announces:
        state.awaiting = k


#: A role chain this many words long at most ends at the name it introduces.
_ROLE_CHAIN = 8


#: A country or «کشورمان» qualifies a role this many words after its head at most
#: («وزیر امور خارجه جمهوری اسلامی ایران»).
_QUALIFIER_SPAN = 5


def qualifier(tokens: list[str], at: int) -> str:
    """Whose the role at ``at`` is: «ours» («وزیر خارجه کشورمان»), another country's, by the word
    that says which («آمریکا» of «وزیر خارجه آمریکا»، «انگلیس» of «سفیر انگلیس»), or «» (unsaid), from
    the words after its head up to punctuation.

    >>> qualifier("وزیر امور خارجه کشورمان گفت".split(), 0), qualifier("وزیر خارجه آمریکا".split(), 0)
    ('ours', 'آمریکا')
    >>> qualifier("وزیر خارجه ، در سفر به آمریکا".split(), 0)
    ''
    """
    for token in tokens[at + 1 : at + 1 + _QUALIFIER_SPAN]:
        if not LETTERS_ONLY.fullmatch(token):
            break
        if key(token) in OURS:
            return "ours"
        if key(token) in FOREIGN:
            return key(token)
    return ""


def _other_country(holder: str, whose: str) -> bool:
    """Whether a person named with a role of country ``holder`` («آمریکا»; «» for none) cannot be the
    holder of a role that ``whose`` qualifies: ours, or another country named («روسیه»). Adjectives
    of nationality are left out («آمریکایی» may be «آمریکا»'s).

    >>> _other_country("آمریکا", "ours"), _other_country("آمریکا", "روسیه"), _other_country("آمریکا", "آمریکا")
    (True, True, False)
    >>> _other_country("", "روسیه"), _other_country("آمریکایی", "آمریکا")
    (False, False)
    """
    if not holder:
        return False
    return whose == "ours" or (holder != whose and holder not in NATIONALITIES and whose not in NATIONALITIES)


def _foreign(whose: str) -> str:
    """The country of a role qualified by another country's name; «» for Iran's or unsaid."""
    return "" if whose == "ours" else whose


def named_role_pairs(tokens: list[str]) -> Iterator[tuple[str, list[str], bool, str]]:
    """(role key, name, whether the role follows, the other country whose it is) for each listed name
    next to a role in a sentence: «X، role», «X role», or «role ... X» with no punctuation between
    the role and the name; the key is empty for «X، یکی از role» (one of several)."""
    end = 0
    for i, token in enumerate(tokens):
        if i < end or not may_start_name(token) or not (found := read_name(tokens, i)):
            continue
        end, words = found
        after = end + (1 if end < len(tokens) and tokens[end] in SEGMENT_END else 0)
        if after < len(tokens) and is_role(tokens[after]):
            yield role_key(tokens, after), words, True, _foreign(qualifier(tokens, after))
        elif after > end and role_follows(tokens[after:]):
            yield "", words, True, ""  # «X، یکی از مدیران»: a role, but not the one that names X
        office = key(tokens[i - 1])[:-1] if i >= 2 and key(tokens[i - 2]) == "به" else ""
        if office and key(tokens[i - 1]).endswith("ی") and is_role(office):
            yield office, words, False, ""  # «به سرپرستی X»: X is the «سرپرست»
            continue
        for r in range(i - 1, max(-1, i - 1 - _ROLE_CHAIN), -1):
            if r == i - 1 and key(tokens[r]) in RELATIONS:
                break  # «وکیل X»: X's lawyer, not X
            if not LETTERS_ONLY.fullmatch(tokens[r]) or (key(tokens[r]) in STOP and key(tokens[r]) != "و"):
                break  # «وزیر نیرو در دیدار با X»: X is met, not the minister
            if is_role(tokens[r]) and (r == 0 or not is_role(tokens[r - 1])):
                yield role_key(tokens, r), words, False, _foreign(qualifier(tokens[:i], r))
                break


def mentions_in(tokens: list[str]) -> list[list[str]]:
    """Every name the given-name and honorific rules find in a sentence."""
    names = []
    end = 0  # a name read goes on to here: the next starts after it
    for i, token in enumerate(tokens):
        # ``read_name`` tests ``may_start_name`` first too; asking here saves a call a token.
        if i >= end and may_start_name(token) and (found := read_name(tokens, i)):
            names.append(found[1])
            end = found[0]
    return names




def add_speaker(state: State, words: list[str], sentence: str, surface: str) -> str:
    """Record a speaker; their facet key ("" for a name with no key, or initials only)."""
    if all(_is_initial(w) for w in words):
        return ""  # «آقای «الف» می‌گوید»: a person the article does not name
    name = " ".join(_without_glued_title(words))
    k = facet_key(name)
    if not k:
        return ""
    # Keep the first quote, but prefer one that names the person over «وی».
    if k not in state.found or (key(state.found[k].surface) in PRONOUNS and key(surface) not in PRONOUNS):
        state.found[k] = Speaker(name=name, sentence=sentence, surface=surface)
    return k


# Letters standing for a name: «الف» (spelled), or one letter with or without a dot («م.»).
_INITIAL = re.compile(r"(?:الف|[^\W\d_])\.?")


def _is_initial(word: str) -> bool:
    """«الف»، «ب.»: an initial, not a name.

    >>> _is_initial("الف"), _is_initial("م."), _is_initial("مریم")
    (True, True, False)
    """
    return _INITIAL.fullmatch(word) is not None


def _without_glued_title(words: list[str]) -> list[str]:
    """A name without «سید» written together with its given name («سیدطه رادمنش» is «طه
    رادمنش», as «سید طه رادمنش» is): the rest a given name or a word no dictionary counts.

    >>> _without_glued_title(["سیدطه", "رادمنش"]), _without_glued_title(["سیدان", "رادمنش"])
    (['طه', 'رادمنش'], ['سیدان', 'رادمنش'])
    """
    first = key(words[0]) if len(words) >= 2 else ""
    rest = first[3:]
    glued = first.startswith("سید") and len(rest) >= 2 and rest not in _NOT_A_NAME_AFTER_SAYYID
    shown = words[0][3:].lstrip(ZWNJ) if key(words[0][:3]) == "سید" else rest  # keep the name's own ZWNJs
    return [shown, *words[1:]] if glued and (is_given_name(rest) or frequency(rest) < _RARE) else words


# «سیدان»، «سیدین»، «سیدی»: the word «سید» with an ending, a surname of its own.
_NOT_A_NAME_AFTER_SAYYID = frozenset({"ان", "ین", "ی", "ها", "زاده", "پور", "نژاد", "یان"})
