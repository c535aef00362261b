"""``python -m plue_hosts.embedded [--port 8080] [--prefix /forge]``: run the example host with the
standard library's WSGI server (threaded). Run ``plue migrate`` first, with the same config."""

from __future__ import annotations

import argparse
import socketserver
import wsgiref.simple_server

from plue_hosts.embedded.app import PREFIX, create_host_app


class ThreadingWSGIServer(socketserver.ThreadingMixIn, wsgiref.simple_server.WSGIServer):
    daemon_threads = True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m plue_hosts.embedded", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--prefix", default=PREFIX)
    args = parser.parse_args(argv)
    app = create_host_app(prefix=args.prefix)
    with wsgiref.simple_server.make_server(args.host, args.port, app,
                                           server_class=ThreadingWSGIServer) as server:
        print(f"host app on http://{args.host}:{args.port}/, Plue under {args.prefix}/", flush=True)
        try:
            server.serve_forever()
        finally:
            app.plue_app.plue.close()


if __name__ == "__main__":
    main()
