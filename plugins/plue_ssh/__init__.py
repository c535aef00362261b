"""ssh: git over SSH (a built-in server on asyncssh), deploy keys, and ``ssh_url``."""
