"""Plue plugin `security`: container image vulnerability scans against a local OSV advisory
database, secret scans of text and job logs, and the instance's security status."""
