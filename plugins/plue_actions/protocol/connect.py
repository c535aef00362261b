"""Connect unary RPC over Falcon: POST /api/actions/<package.Service>/<Method>, the body in
the request's codec (``application/json`` = proto3 JSON, ``application/proto`` = binary;
gzip request bodies accepted), the reply in the same codec, errors as Connect's JSON
``{"code", "message"}`` with the matching HTTP status.

protobuf and the messages (≈ 4 MB a process) are loaded by the first call, not with the routes:
a process no runner talks to never holds them (docs/serving.md, Memory)."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from typing import Callable

import falcon

from plue_core.errors import PlueError

JSON_TYPES = ("application/json", "application/connect+json")
PROTO_TYPES = ("application/proto", "application/protobuf", "application/x-protobuf",
               "application/connect+proto")

# Connect error codes and their HTTP statuses (connectrpc.com/docs/protocol).
HTTP_STATUS = {
    "canceled": 499, "unknown": 500, "invalid_argument": 400, "deadline_exceeded": 504,
    "not_found": 404, "already_exists": 409, "permission_denied": 403,
    "resource_exhausted": 429, "failed_precondition": 400, "aborted": 409, "out_of_range": 400,
    "unimplemented": 501, "internal": 500, "unavailable": 503, "data_loss": 500,
    "unauthenticated": 401,
}
_FROM_PLUE_STATUS = {400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied",
                     404: "not_found", 409: "already_exists", 413: "resource_exhausted",
                     422: "invalid_argument", 429: "resource_exhausted"}


class ConnectError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def code_for_status(status: int) -> str:
    return _FROM_PLUE_STATUS.get(status, "internal" if status >= 500 else "unknown")


@dataclass(frozen=True)
class Method:
    request: str  # the message's full name (``runner.v1.FetchTaskRequest``), built on first call
    handler: Callable  # handler(request_message, req) -> response_message


def _write_error(resp, code: str, message: str) -> None:
    resp.status = HTTP_STATUS.get(code, 500)
    resp.content_type = "application/json"
    resp.media = {"code": code, "message": message}


def _nul_field(message, where: str = "") -> str | None:
    """The first string field (map keys included) holding a NUL character: PostgreSQL can
    store none, and no runner name, label, version, token or output needs one (a log line
    may: logs.append replaces it). The JSON codec only carries one as ``\\u0000``."""
    for field, value in message.ListFields():
        name = f"{where}{field.name}"
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            for key, item in value.items():
                if "\0" in key or (isinstance(item, str) and "\0" in item):
                    return f"{name}[{key!r}]"
            continue
        items = value if field.is_repeated else [value]
        for index, item in enumerate(items):
            here = f"{name}[{index}]" if field.is_repeated else name
            if isinstance(item, str):
                if "\0" in item and field.full_name not in NUL_ALLOWED:
                    return here
            elif field.message_type is not None:
                if found := _nul_field(item, here + "."):
                    return found
    return None


# Free text a program wrote: kept (NUL replaced), not refused (logs.append).
NUL_ALLOWED = {"runner.v1.LogRow.content"}


def _read_body(req, limit: int) -> bytes:
    body = req.bounded_stream.read(limit + 1)
    if len(body) > limit:
        raise ConnectError("resource_exhausted", f"request body is larger than {limit} bytes")
    encoding = (req.get_header("Content-Encoding") or "identity").lower()
    if encoding == "gzip":
        try:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = decompressor.decompress(body, limit + 1)
        except (zlib.error, gzip.BadGzipFile):
            raise ConnectError("invalid_argument", "request body is not valid gzip") from None
        if len(body) > limit:
            raise ConnectError("resource_exhausted", f"request body is larger than {limit} bytes")
    elif encoding != "identity":
        raise ConnectError("unimplemented", f"unsupported Content-Encoding {encoding!r}; use "
                                            "gzip or identity")
    return body


class ConnectService:
    """One Falcon resource per Connect service: ``methods`` maps method names to handlers."""

    max_body_size = None  # checked here, in the protocol's error shape

    def __init__(self, methods: dict[str, Method], limit: int):
        self.methods = methods
        self.limit = limit

    def on_post(self, req, resp, method: str):
        content_type = (req.content_type or "").split(";")[0].strip().lower()
        try:
            spec = self.methods.get(method)
            if spec is None:
                # connect-go's answer for a procedure it does not serve (its mux's 404): a
                # 5xx would say the server failed.
                raise ConnectError("not_found", f"no method {method!r}; this service has "
                                                f"{', '.join(sorted(self.methods))}")
            binary = content_type in PROTO_TYPES
            if not binary and content_type not in JSON_TYPES:
                resp.status = falcon.HTTP_415
                resp.set_header("Accept-Post", "application/json, application/proto")
                resp.content_type = "application/json"
                resp.media = {"code": "unknown", "message": f"unsupported content type "
                              f"{content_type!r}; use application/json or application/proto"}
                return
            body = _read_body(req, self.limit)
            from google.protobuf import json_format
            from google.protobuf.message import DecodeError

            from plue_actions.protocol.messages import message_class

            request_class = message_class(spec.request)
            message = request_class()
            try:
                if binary:
                    message.ParseFromString(body)
                else:
                    json_format.Parse(body or b"{}", message, ignore_unknown_fields=True)
            except (DecodeError, json_format.ParseError, UnicodeDecodeError) as error:
                raise ConnectError("invalid_argument", f"cannot decode {request_class.DESCRIPTOR.name}: "
                                                       f"{error}") from None
            if (binary or b"\\u0000" in body) and (where := _nul_field(message)):
                raise ConnectError("invalid_argument", f"{where} must not contain NUL characters")
            answer = spec.handler(message, req)
        except ConnectError as error:
            return _write_error(resp, error.code, error.message)
        except PlueError as error:
            return _write_error(resp, code_for_status(error.status), error.message)
        resp.status = falcon.HTTP_200
        if binary:
            resp.content_type = "application/proto"
            resp.data = answer.SerializeToString()
        else:
            resp.content_type = "application/json"
            resp.data = json_format.MessageToJson(answer, indent=None).encode()

    def on_get(self, req, resp, method: str):
        # As connect-go answers a GET to a procedure that does not allow it: 405, Allow: POST
        # (a 5xx would say the server failed).
        _write_error(resp, "unimplemented", "Connect unary calls use POST")
        resp.status = falcon.HTTP_405
        resp.set_header("Allow", "POST")
