"""Wire shapes of the actions plugin: Gitea's response objects (``shapes``)."""
