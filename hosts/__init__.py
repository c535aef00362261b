"""Thin entry points that run Plue: gunicorn, the scheduler, an embedding example."""
