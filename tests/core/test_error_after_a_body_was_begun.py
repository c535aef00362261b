"""An error raised after a responder began its answer (a picture's content type, an
attachment's headers, bytes) is still the family's JSON error with its own status: the avatar
route's first draft crashed after setting ``image/png`` and Falcon, finding no image/png
media handler for the error body, answered 415 instead of the 500."""

from __future__ import annotations

import falcon
import falcon.testing
import pytest

from plue_core import error_responses
from plue_core.errors import NotFound


class Picture:
    def __init__(self, error: Exception):
        self.error = error

    def on_get(self, req, resp):
        resp.content_type = "image/png"
        resp.set_header("Content-Disposition", 'attachment; filename="a.png"')
        resp.data = b"\x89PNG half"
        raise self.error


@pytest.mark.parametrize("error, status", [(RuntimeError("boom"), 500),
                                           (NotFound("no such picture"), 404)])
def test_the_error_replaces_what_the_responder_began(error, status):
    app = falcon.App()
    error_responses.install(app)
    app.add_route("/api/v1/picture", Picture(error))
    result = falcon.testing.TestClient(app).simulate_get("/api/v1/picture")
    assert result.status_code == status
    assert result.headers["content-type"].startswith("application/json")
    assert "content-disposition" not in result.headers
    assert set(result.json) >= {"message", "url"}
