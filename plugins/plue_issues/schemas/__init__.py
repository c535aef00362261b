"""Wire shapes of the issues plugin: request options (``options``) and Gitea's response
objects (``shapes``)."""
