"""Baseline apps for ``bench/api_hot_path.py``: what a request costs without Plue."""
