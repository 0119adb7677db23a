"""The spelling pairs of the product: every spelling of a word is one term.

Shared by ``test_tokenize.py`` (at the term level and through search) and the
``spelling_index`` fixture in ``conftest.py``, which indexes one article per
spelling. Labels are ASCII so test ids stay readable.
"""

from __future__ import annotations

from itertools import permutations

import pytest

#: word -> spelling label -> how the word is written.
SPELLINGS: dict[str, dict[str, str]] = {
    "mitavanim": {
        "zwnj": "می\u200cتوانیم",  # می‌توانیم, as it should be written
        "space": "می توانیم",  # a space where the ZWNJ belongs
        "joined": "میتوانیم",  # the ZWNJ lost in scraping
    },
    "ketabha": {
        "zwnj": "کتاب\u200cها",  # کتاب‌ها
        "space": "کتاب ها",
        "joined": "کتابها",
    },
    "mellathaye": {
        "zwnj": "ملت\u200cهای",  # ملت‌های
        "joined": "ملتهای",  # the seed page's spelling
    },
    "hamejanebe": {
        "zwnj": "همه\u200cجانبه",  # همه‌جانبه
        "joined": "همهجانبه",  # the seed page's spelling
    },
    "mikonad": {
        "zwnj": "می\u200cکند",  # می‌کند
        "arabic-space": "مي كند",  # Arabic yeh and kaf, a space (Fars News before 1390)
        "arabic-nbsp": "مي\u00a0كند",  # Arabic yeh and kaf, a NO-BREAK SPACE (Hamshahri)
    },
}

#: word -> the one canonical term every spelling gives.
CANONICAL: dict[str, str] = {
    "mitavanim": "میتوانیم",
    "ketabha": "کتابها",
    "mellathaye": "ملتهای",
    "hamejanebe": "همهجانبه",
    "mikonad": "میکند",
}


def article_id(word: str, label: str) -> str:
    """The id of the article written with this spelling."""
    return f"{word}-{label}"


def spelling_pairs() -> list[object]:
    """(query spelling, article spelling, article id) for every ordered pair of
    different spellings of the same word: both directions of every pair."""
    return [
        pytest.param(spellings[q], spellings[a], article_id(word, a), id=f"{word}:{q}->{a}")
        for word, spellings in SPELLINGS.items()
        for q, a in permutations(spellings, 2)
    ]
