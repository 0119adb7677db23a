"""What a speaker said: the quote span after a verb or inside «با بیان اینکه Q،», a «» quote
that goes on over the next sentences, and quotes clipped to ``MAX_QUOTE`` characters."""

from __future__ import annotations

from indexer.normalize import ZWNJ
from indexer.speakers.cues import QUOTE_MARKS, SEGMENT_END, VERB
from indexer.speakers.state import State

# Words between a quote verb and what was said: «که», and the auxiliary of «نوشته است».
_AFTER_VERB = frozenset({"که", "است", "بود", "اند", "بودند", "شد"})
#: A quote is kept to this many characters (cut at a space, «…» added).
MAX_QUOTE = 300
#: A quote that opens «» and does not close it goes on in at most this many more sentences.
QUOTE_SENTENCES = 3


def continue_quote(state: State, norm: str) -> bool:
    """A sentence that goes on with a quote already open («X گفت: «... . ...»»), or
    that is the quote a «X گفت:» at the end of the previous sentence announced."""
    if state.awaiting:
        k, state.awaiting = state.awaiting, ""
        if not VERB.search(norm.replace(ZWNJ, "")):
            added = add_quote(state, k, norm)
            state.open_quote, state.open_left = (k, QUOTE_SENTENCES) if added and opens_quote(norm) else ("", 0)
            return True
    if state.open_quote and state.open_left > 0:
        k = state.open_quote
        state.open_left -= 1
        close = norm.find("»")
        state.quotes[k][-1] = clip(state.quotes[k][-1] + " " + (norm[: close + 1] if close >= 0 else norm))
        if close >= 0:
            state.open_quote, state.open_left = "", 0
        return True
    return False


def opens_quote(text: str) -> bool:
    return text.count("«") > text.count("»")


def add_quote(state: State, k: str, text: str) -> bool:
    """Add what ``k`` said; ``False`` when there is nothing to add (no letters)."""
    text = text.strip()
    if not any(c.isalpha() for c in text):
        return False
    if text.startswith("«") and not opens_quote(text):
        text = text[: text.index("»") + 1]  # «...» and what follows the quote is not theirs
    state.quotes.setdefault(k, []).append(clip(text))
    return True


def clip(text: str) -> str:
    """At most ``MAX_QUOTE`` characters, cut at a space.

    >>> clip("کلمه " * 100)[-6:]
    'کلمه …'
    """
    if len(text) <= MAX_QUOTE:
        return text
    cut = text.rfind(" ", 0, MAX_QUOTE)
    return text[: cut if cut > 0 else MAX_QUOTE].rstrip() + " …"


def quote_after(tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], at: int) -> str:
    """The words from token ``at`` to the end of the sentence, without a leading «:» or «که»."""
    while at < len(tokens) and (tokens[at] in {":", "،", ",", "-", "؛"} or keys[at] in _AFTER_VERB):
        at += 1
    if at >= len(tokens) or (at + 1 >= len(tokens) and tokens[at] in QUOTE_MARKS):
        return ""
    said = norm[spans[at][0] :].strip()
    return said if any(c.isalpha() for c in said) else ""  # a lone «.» says nothing


# «X با بیان اینکه Q، افزود»: Q is X's too (the clause up to the last comma before the verb).
_THAT = "اینکه"
_SAYING = frozenset({"بیان", "اشاره", "تاکید", "اعلام", "ابراز", "یادآوری", "تصریح"})


def embedded_quote(
    tokens: list[str], spans: list[tuple[int, int]], norm: str, keys: list[str], begin: int, verb: int
) -> str:
    """The «با بیان اینکه Q،» clause between the subject (ending at ``begin``) and the verb."""
    for n in range(begin, verb - 1):
        if keys[n] == _THAT and any(k in _SAYING for k in keys[max(begin, n - 3) : n]):
            stop = next((m for m in range(verb - 1, n, -1) if tokens[m] in SEGMENT_END), None)
            if stop is not None and stop > n + 1:
                return norm[spans[n + 1][0] : spans[stop - 1][1]].strip()
    return ""
