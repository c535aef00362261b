"""Plue plugin `runners`: Runner Pilot's runner definitions, the containers (instances) started
from them on nodes, and their metrics and logs (seed 001 sections 4-6). Documented in
docs/fleet.md. Not to be confused with `runner`, the CI agent."""
