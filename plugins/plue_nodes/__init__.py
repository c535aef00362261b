"""Plue plugin `nodes`: the Docker engines an organization's runner instances run on
(Runner Pilot, seed 001 section 3). Documented in docs/fleet.md."""
