"""web: the HTML face of Plue (docs/web.md)."""
