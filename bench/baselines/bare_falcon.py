"""The ceiling: a bare Falcon app answering a small JSON body on every path, served by the
same gunicorn settings as Plue (``bench/api_hot_path.py`` starts it)."""

import falcon


class Everything:
    def on_get(self, req, resp, **_):
        resp.media = {"version": "bare"}

    on_post = on_get


app = falcon.App()
app.add_sink(Everything().on_get, "/")
