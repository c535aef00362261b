"""Every account's ``avatar_url`` opens: ``/avatars/{md5}`` is a PNG identicon drawn from the
digest (Gitea links generated avatars there when Gravatar is off); it was a 404."""

from __future__ import annotations

import struct
import zlib

from plue_core.accounts.avatars import SIZE
from plue_core.testing import basic_auth


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    return struct.unpack(">II", data[16:24])


def test_a_users_and_an_organizations_avatar_url_is_a_picture(client, world):
    me = client.simulate_get("/api/v1/user", headers=basic_auth("alice")).json
    org = client.simulate_post("/api/v1/orgs", json={"username": "pictured"},
                               headers=basic_auth("alice")).json
    pictures = []
    for url in (me["avatar_url"], org["avatar_url"]):
        path = "/" + url.split("/", 3)[3]
        picture = client.simulate_get(path)  # no credentials: avatars are public, as Gitea's
        assert picture.status_code == 200, (path, picture.text[:200])
        assert picture.headers["content-type"] == "image/png"
        assert _png_size(picture.content) == (SIZE, SIZE)
        pictures.append(picture.content)
    assert pictures[0] != pictures[1]
    assert client.simulate_get("/" + me["avatar_url"].split("/", 3)[3]).content == pictures[0]


def test_a_name_that_is_no_digest_is_not_found(client, world):
    for name in ("nope", "0" * 31, "G" * 32, "0" * 33):
        assert client.simulate_get(f"/avatars/{name}").status_code == 404
