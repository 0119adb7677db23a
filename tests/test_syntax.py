"""The query language: words, phrases, exclusions, fields; parsing never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.syntax import MAX_CLAUSES, MAX_QUERY_CHARS, Clause, parse, parse_query

PARSE = [
    # words and phrases
    ("مجلس نفت", [Clause("مجلس"), Clause("نفت")]),  # two words
    ('"توسعه روابط"', [Clause("توسعه روابط", "phrase")]),  # ASCII quotes
    ("«توسعه روابط» مجلس", [Clause("توسعه روابط", "phrase"), Clause("مجلس")]),  # Persian guillemets
    ("“توسعه روابط”", [Clause("توسعه روابط", "phrase")]),  # typographic quotes
    ('"  توسعه روابط "', [Clause("توسعه روابط", "phrase")]),  # spaces inside a phrase trimmed
    ('""', []),  # an empty phrase is nothing
    # exclusion
    ("-نفت", [Clause("نفت", negated=True)]),  # a word
    ('-"توسعه روابط"', [Clause("توسعه روابط", "phrase", negated=True)]),  # a phrase
    ("-tag:ورزش", [Clause("ورزش", field="tag", negated=True)]),  # a field
    ("a - b", [Clause("a"), Clause("-"), Clause("b")]),  # a lone dash is a word
    # fields
    ("title:مجلس", [Clause("مجلس", field="title")]),  # title
    ("Title:مجلس", [Clause("مجلس", field="title")]),  # any case
    ("tag:ورزش", [Clause("ورزش", field="tag")]),  # tag
    ("speaker:رهنما", [Clause("رهنما", field="speaker")]),  # speaker
    ("source:ایرنا", [Clause("ایرنا", field="source")]),  # source
    ("tag:«محیط زیست»", [Clause("محیط زیست", "phrase", "tag")]),  # a field with a phrase
    ("tag:", [Clause("tag:")]),  # a field with no value is text
    ("tag: ورزش", [Clause("tag:"), Clause("ورزش")]),  # nor a value after a space
    ("foo:bar", [Clause("foo:bar")]),  # an unknown field prefix stays text
    ("موضوع:ورزش", [Clause("موضوع:ورزش")]),  # Persian prefixes are never fields
    # Persian text with colons is text
    ("دولت ها: برداشتن قرنطینه", [Clause("دولت"), Clause("ها:"), Clause("برداشتن"), Clause("قرنطینه")]),
    # unbalanced quotes are ordinary characters
    ('"توسعه روابط', [Clause("توسعه"), Clause("روابط")]),  # an opening quote alone
    ("«قرنطینه", [Clause("قرنطینه")]),  # a guillemet alone
    ("قرنطینه»", [Clause("قرنطینه")]),  # a closing one alone
    ('a "b «c d» e', [Clause("a"), Clause("b"), Clause("c d", "phrase"), Clause("e")]),  # mixed
    # whitespace
    ("  مجلس\t\nنفت  ", [Clause("مجلس"), Clause("نفت")]),  # any whitespace separates
    ("", []),  # an empty query
]


@pytest.mark.parametrize(("query", "clauses"), PARSE)
def test_parse(query: str, clauses: list[Clause]) -> None:
    assert parse(query) == clauses


def test_parse_is_not_truncated_when_short() -> None:
    assert parse_query("مجلس نفت").truncated is False


def test_overlong_query_truncated() -> None:
    parsed = parse_query("ب" * (MAX_QUERY_CHARS + 500))
    assert parsed.truncated is True
    assert parsed.clauses == [Clause("ب" * MAX_QUERY_CHARS)]


def test_too_many_clauses_truncated() -> None:
    parsed = parse_query("کتاب " * 40)
    assert parsed.truncated is True
    assert len(parsed.clauses) == MAX_CLAUSES == 32


def test_exactly_max_clauses_not_truncated() -> None:
    parsed = parse_query("کتاب " * MAX_CLAUSES)
    assert (len(parsed.clauses), parsed.truncated) == (MAX_CLAUSES, False)


_QUERY = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            [
                '"',
                "«",
                "»",
                "“",
                "”",
                "„",
                "-",
                ":",
                " ",
                "\t",
                "title:",
                "tag:",
                "TAG:",
                "source:",
                "speaker:",
                "foo:",
                "مجلس",
                "ها",
                "a",
                "۱",
            ]
        )
    ).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(_QUERY)
def test_parse_never_raises(query: str) -> None:
    parsed = parse_query(query)
    assert len(parsed.clauses) <= MAX_CLAUSES
    for clause in parsed.clauses:
        assert clause.text and clause.text == clause.text.strip()
        assert clause.kind in ("word", "phrase")
        assert clause.field in (None, "title", "tag", "speaker", "source")
        if clause.kind == "word":
            assert not any(ch.isspace() for ch in clause.text)
