"""The ``[issues]`` config section (environment: ``PLUE_ISSUES__<KEY>``)."""

from marshmallow import Schema, fields, validate

from plue_core.config import CommaList


class IssuesSettings(Schema):
    reactions = CommaList(
        fields.String(validate=validate.Length(min=1, max=32)),
        load_default=lambda: ["+1", "-1", "laugh", "hooray", "confused", "heart", "rocket",
                              "eyes"],
        metadata={"description": "The reactions issues and comments accept (Gitea's [ui] "
                                 "REACTIONS); any other is refused with 403, as Gitea does."})
    # Issue links (dependencies.py, pins.py).
    max_pinned = fields.Integer(
        load_default=3, validate=validate.Range(min=0),
        metadata={"description": "How many issues (and, apart, how many pull requests) a "
                                 "repository may pin (Gitea's [repository.issue] MAX_PINNED)."})
    cross_repository_dependencies = fields.Boolean(
        load_default=True,
        metadata={"description": "Whether an issue may depend on another repository's (Gitea's "
                                 "[service] ALLOW_CROSS_REPOSITORY_DEPENDENCIES); when off, "
                                 "such a link is refused with 400."})
