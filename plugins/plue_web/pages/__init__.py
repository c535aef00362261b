"""The web pages, one module per area (as Gitea's routers/web)."""
