"""What every page resource shares: the face, the viewer, forms, redirects and paging."""

from __future__ import annotations

import dataclasses
import urllib.parse

import falcon

from plue_core.errors import BadRequest, Invalid
from plue_core.identity import current_identity
from plue_core.integers import is_digits

LOGIN = "/user/login"
CHANGE_PASSWORD = "/user/settings/change_password"


def safe_redirect(target: str | None, default: str = "/") -> str:
    """A local path to go back to after a form; anything else (another site) is ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def row_id(raw: str) -> int:
    """A posted row id as a number; 0 (no row has it, so the lookup answers 404) for anything
    that is not a string of digits short enough for a 64-bit id."""
    return int(raw) if is_digits(raw) and len(raw) < 19 else 0


@dataclasses.dataclass(frozen=True)
class Paging:
    page: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


class Page:
    """A Falcon resource that answers with HTML (``WebMiddleware`` knows it by this class)."""

    # Pages a user who must change their password may still open.
    allowed_before_password_change = False

    def __init__(self, face):
        self.face = face

    @property
    def hosting(self):
        return self.face.hosting

    @property
    def accounts(self):
        return self.face.accounts

    def render(self, req, resp, template: str, **values) -> None:
        self.face.page(req, resp, template, **values)

    def viewer(self, req):
        identity = current_identity(req)
        return self.accounts.account_for(identity) if identity is not None else None

    def form(self, req) -> dict:
        """The posted form's fields (each a string; the last one of a repeated name). A NUL
        character in any of them is a 400, as in a JSON body (plue_core.request_json)."""
        if not hasattr(req.context, "web_form"):
            fields = {}
            if req.content_type and req.content_type.startswith(falcon.MEDIA_URLENCODED):
                for name, value in urllib.parse.parse_qsl(req.bounded_stream.read().decode(
                        "utf-8", "replace"), keep_blank_values=True):
                    if "\0" in name or "\0" in value:  # PostgreSQL can neither store nor compare it
                        raise BadRequest(f"the form field {name.replace(chr(0), '')!r} must not "
                                         "contain NUL (%00) characters")
                    fields[name] = value
            req.context.web_form = fields
        return req.context.web_form

    def require_signed_in(self, req):
        """The caller's identity, or a redirect to the sign-in page and back."""
        identity = current_identity(req)
        if identity is None:
            target = urllib.parse.quote(req.relative_uri, safe="")
            raise falcon.HTTPSeeOther(f"{LOGIN}?redirect_to={target}")
        return identity

    def page_number(self, req) -> int:
        """The requested page number (1 when absent); 422 for nonsense."""
        raw = req.get_param("page") or "1"
        if not is_digits(raw) or not 0 < int(raw) < 100000:
            raise Invalid(f"page: must be a positive number, got {raw!r}")
        return int(raw)

    @property
    def page_size(self) -> int:
        return self.face.settings["page_size"]
