"""The benchmark harness: how fast Kavosh is, next to the engines a user could pick instead.

``python -m bench`` (``make bench``) prepares one corpus from the shared corpora (or a
given path), then measures, each engine in its own child process so peak memory is its own:

* ``analysis``: characters/s of our analysis (normalize, tokenize, stem) vs hazm's Normalizer;
* ``reindex``: documents/s, characters/s, peak memory and index size of Kavosh, bare Whoosh
  (a plain ``RegexTokenizer``: the cost of our analysis), SQLite FTS5 and tantivy;
* ``query``: p50/p95 of a realistic query mix, with facets for Kavosh, without for the peers;
* ``web``: requests/s and p95 of ``/api/search`` under concurrent clients against ``kavosh serve``.

Every figure is the median of ``--runs`` runs; comparisons are ratios within one run. The
results go to ``var/bench/`` as JSON and as a Markdown table (``bench.report``).
"""
