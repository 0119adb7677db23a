"""What an extraction keeps while it reads an article: the speakers found, the people
named, who is speaking, and the roles that stand for them (``State``), with the attribution a
sentence gives (``Quote``) and the speaker it ends as (``Speaker``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.speakers.names import is_given_name
from indexer.speakers.words import key


@dataclass(frozen=True)
class Speaker:
    """A person quoted in an article, with the sentence that shows it and what they said."""

    name: str  # canonical: the fullest form the article gives, no honorifics
    sentence: str  # the evidence
    surface: str  # the words that named them in that sentence («وی»، «تیزپاک»)
    quotes: tuple[str, ...] = ()  # each clause the article attributes to them, in order


@dataclass(frozen=True)
class Quote:
    """One attribution in a sentence: who (words, or a pronoun or role to resolve) said what."""

    words: list[str]  # the name; empty for «وی» or a role
    surface: str
    text: str = ""  # the quoted clause; empty when it is in the next sentence
    role: str = ""  # the role that stands for the speaker («سخنگوی وزارت»), to resolve
    announces: bool = False  # «X گفت:» ends the sentence: the quote is the next one


@dataclass
class State:
    """What the article has said so far: named people, and who is speaking."""

    known: list[list[str]]  # full names mentioned anywhere in the article
    found: dict[str, Speaker] = field(default_factory=dict)  # facet key -> speaker, in order of first quote
    previous: list[list[str]] = field(default_factory=list)  # people named in the previous sentence
    # Whether the previous sentence quoted no one and introduced the one person it named with a
    # role («X، وزیر خارجه، ... را رد می‌کند.»): «وی/او» next is that person, even after others spoke.
    introduced: bool = False
    quotes: dict[str, list[str]] = field(default_factory=dict)  # facet key -> what they said
    current: str = ""  # facet key of the person quoted last: «وی افزود» goes on their quotes
    roles: dict[str, str] = field(default_factory=dict)  # role key -> facet key («سخنگوی وزارت» -> X)
    pending: list[tuple[str, int]] = field(default_factory=list)  # role quotes waiting for a name
    open_quote: str = ""  # facet key whose «» quote goes on into the next sentences
    open_left: int = 0
    awaiting: str = ""  # facet key whose «X گفت:» has its quote in the next sentence
    outlets: set[str] = field(default_factory=set)  # words the article gives as an outlet's name
    # Role key -> the people the article names with that role anywhere («کوروش دانا سرپرست هیات»).
    named_roles: dict[str, list[list[str]]] = field(default_factory=dict)
    # Facet key -> the country of the role the article names them with, when not ours («X، وزیر خارجه آمریکا»).
    foreign: dict[str, str] = field(default_factory=dict)


def known_person(words: list[str], state: State) -> list[str] | None:
    """The person a surname («تیزپاک») or full name stands for in this article:
    the longest name that ends with those words, or whose two-word surname
    starts with it («نیکوفلاح» → «حسین نیکوفلاح کوهپایه»)."""
    people = [*state.known, *(s.name.split() for s in state.found.values())]
    for n in (2, 1):
        if len(words) < n:
            continue
        tail = [key(w) for w in words[:n]]
        matches = [
            person
            for person in people
            if [key(w) for w in person[-n:]] == tail
            or (n == 1 and len(person) >= 3 and key(person[-2]) == tail[0] and not is_given_name(person[-2]))
        ]
        if matches:
            return max(matches, key=len)
    return None


@dataclass(frozen=True)
class Subject:
    words: list[str]  # the name (empty for a pronoun or a role alone)
    surface: str
    end: int  # the token after the subject
    role: str = ""  # the role that names the speaker here, if any («سخنگوی وزارت»)
