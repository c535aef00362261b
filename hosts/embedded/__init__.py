"""Embedding Plue in another WSGI application under a URL prefix (``/forge`` here).

``python -m plue_hosts.embedded`` runs the example; see docs/admin.md ("Embedding").
"""
