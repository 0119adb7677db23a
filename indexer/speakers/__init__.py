"""Who is quoted in an article, for the speaker facet (issue 5).

``extract_speakers(article)`` gives the canonical names (no honorifics,
Persian letters, one value per person in the article); ``find_speakers``
adds the evidence sentence. ``resolve_names`` merges the names of a whole
corpus so that one person is one facet value. ``extract`` reads an article
sentence by sentence: ``clauses`` finds each attribution (its verbs and cues
in ``cues``, its subject in ``subject`` and ``unlisted``, its words in
``quotes``), ``resolve`` says who it is across the article, ``whole``
completes the names; ``names`` and ``lexicon`` hold the word tests and lists,
``model`` the lists learned from the corpus, ``evaluate`` the scoring.
"""

from indexer.speakers.corpus import resolve_names
from indexer.speakers.extract import Speaker, extract_speakers, find_speakers
from indexer.speakers.words import load_lexicons

__all__ = ["Speaker", "extract_speakers", "find_speakers", "load_lexicons", "resolve_names"]
