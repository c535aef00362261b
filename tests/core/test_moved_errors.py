"""``plue_core.errors.Moved``: a 307 to the request's own path with its first ``old`` part
replaced by ``new``, query kept; when the path does not name ``old`` (the name came in a
body), there is nowhere to send the request: a 404."""

import falcon
import falcon.testing

from plue_core import error_responses
from plue_core.errors import Moved


class Raising:
    def on_get(self, req, resp, rest):
        raise Moved("alice/old is now alice/new", old="/alice/old", new="/alice/new")

    on_post = on_get


def _client():
    app = falcon.App()
    error_responses.install(app)
    app.add_route("/{rest:path}", Raising())
    return falcon.testing.TestClient(app)


def test_moved_is_a_307_to_the_same_request_at_the_new_path():
    answer = _client().simulate_get("/api/v1/repos/alice/old/raw/a b.txt", query_string="ref=x&y=1")
    assert answer.status_code == 307
    assert answer.headers["location"] == "/api/v1/repos/alice/new/raw/a%20b.txt?ref=x&y=1"
    assert _client().simulate_post("/alice/old.git/git-upload-pack").headers["location"] == \
        "/alice/new.git/git-upload-pack"


def test_moved_without_the_old_name_in_the_path_is_a_404():
    answer = _client().simulate_get("/api/hub/jobs")
    assert answer.status_code == 404 and "location" not in answer.headers
