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
