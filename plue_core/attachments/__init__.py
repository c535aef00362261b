"""attachments: the one store of uploaded files (Gitea's ``attachment`` table) that releases,
issues and comments attach, with their bytes on disk and the ``/attachments/{uuid}`` download.
A built-in plugin in the core package, like accounts: its ``Attachment`` body
(``plue_core.attachments.shapes``) is embedded by several plugins, which may not import each
other; everything else they ask ``ctx.services["attachments"]``."""
