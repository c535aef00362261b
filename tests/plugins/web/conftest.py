"""Fixtures for the web pages: a forge with a public and a private repository (files made
through the API), and a ``Browser`` that keeps cookies and posts forms with their CSRF token,
as a person's browser would."""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import urllib.parse

import falcon.testing
import pytest

from plue_core.testing import DEFAULT_PASSWORD, UserApi, make_user

_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class Browser:
    """Cookies kept between requests; forms posted with the token of the last page seen."""

    def __init__(self, client: falcon.testing.TestClient):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.last = None

    def _keep(self, result):
        for name, cookie in result.cookies.items():
            if cookie.max_age == 0 or cookie.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie.value
        return result

    def get(self, path: str, **kwargs):
        headers = {"Accept": "text/html", **kwargs.pop("headers", {})}
        self.last = self._keep(self.client.simulate_get(path, headers=headers,
                                                        cookies=dict(self.cookies), **kwargs))
        return self.last

    def csrf_token(self) -> str:
        match = _CSRF.search(self.last.text)
        assert match, "the page has no form with a CSRF token"
        return html.unescape(match.group(1))

    def post(self, path: str, fields: dict, *, from_page: str | None = None, csrf: bool = True):
        """Post ``fields`` as a form; the token comes from ``from_page`` (opened first) or
        the last page."""
        if from_page is not None:
            self.get(from_page)
        body = dict(fields)
        if csrf:
            body["_csrf"] = self.csrf_token()
        return self._keep(self.client.simulate_post(
            path, body=urllib.parse.urlencode(body), cookies=dict(self.cookies),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}))

    def sign_in(self, user: str, password: str = DEFAULT_PASSWORD):
        result = self.post("/user/login", {"user_name": user, "password": password},
                           from_page="/user/login")
        assert result.status_code == 303, result.text
        return result


@dataclasses.dataclass
class Site(UserApi):
    """alice owns the public ``alice/code`` (README.md, src/main.py, a picture, a binary, a
    branch ``feature/x``, a tag ``v1.0``) and the private ``alice/vault``; oscar is a stranger;
    root is a site administrator."""

    ctx: object
    client: falcon.testing.TestClient
    default_user = "alice"

    def browser(self, user: str | None = None) -> Browser:
        browser = Browser(self.client)
        if user:
            browser.sign_in(user)
        return browser

    def create_repo(self, name: str, **options) -> dict:
        response = self.post("/user/repos", {"name": name, **options})
        assert response.status_code == 201, response.text
        return response.json

    def add_files(self, repo: str, files: dict[str, bytes], message: str = "Add files",
                  branch: str | None = None) -> None:
        body = {"message": message, "files": [
            {"operation": "create", "path": path, "content": base64.b64encode(data).decode()}
            for path, data in files.items()]}
        if branch:
            body["branch"] = branch
        response = self.post(f"/repos/{repo}/contents", body)
        assert response.status_code == 201, response.text


def build_site(app) -> Site:
    ctx = app.plue
    make_user(ctx, "root", admin=True)
    for name in ("alice", "oscar"):
        make_user(ctx, name)
    site = Site(ctx, falcon.testing.TestClient(app))
    site.create_repo("code", description="Alice's code")
    site.add_files("alice/code", {
        "README.md": b"# Code\n\nSee #1 and @oscar.\n\n- [x] done\n",
        "src/main.py": b"def main():\n    return 'hello'\n\n\nprint(main())\n",
        "docs/picture.png": PNG,
        "data.bin": b"\x00\x01\x02binary",
    }, message="Add the code\n\nWith a body.")
    assert site.post("/repos/alice/code/branches", {"new_branch_name": "feature/x"}).status_code == 201
    site.add_files("alice/code", {"feature.txt": b"only on the branch\n"}, branch="feature/x",
                   message="Work on the feature")
    assert site.post("/repos/alice/code/tags", {"tag_name": "v1.0"}).status_code == 201
    site.create_repo("vault", auto_init=True, private=True)
    return site


@pytest.fixture
def site(build_app):
    return build_site(build_app())
