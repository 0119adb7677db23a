"""Turning a user's request into results: hits, snippets and facet counts.

Returns plain data only; the web app, the JSON API and the command line are
thin shells over ``search.engine.Engine``.
"""
