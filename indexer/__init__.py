"""Reading corpora, analysing Persian text and building the Kavosh index.

Data flows one way: files -> readers (``Article``) -> analysis -> index.
Nothing here imports ``search``.
"""
