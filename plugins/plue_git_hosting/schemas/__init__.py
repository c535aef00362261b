"""Wire shapes of git_hosting: request options (``options``) and Gitea's response objects
(``shapes``)."""
