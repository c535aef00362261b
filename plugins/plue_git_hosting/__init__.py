"""git_hosting: repositories on disk (dulwich), the Gitea repository API, git smart HTTP."""
