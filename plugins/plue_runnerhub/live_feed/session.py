"""One WebSocket connection: authenticate, take a slot, then answer the client's messages and
forward the events it subscribed to.

Client messages: ``{"type": "subscribe"|"unsubscribe", "events": [...]}`` and
``{"type": "ping"}``. Anything else — invalid JSON, a binary frame, an unknown type or event
name — is answered with an ``error`` frame and the connection stays open. Refusals after the
handshake (authentication, too many connections) are an ``error`` frame followed by a close
with code 4401 or 4429: a browser cannot read the HTTP status of a refused handshake."""

from __future__ import annotations

import asyncio
import json

from plue_core import request_json
from plue_core.db import utcnow
from plue_core.errors import BadRequest
from plue_core.timestamps import rfc3339
from plue_core.websockets import HandshakeRefused, handshake_identity

from plue_runnerhub.live_feed.feed import KNOWN, PRODUCED

MAX_MESSAGE = 64 * 1024
# A client that reads slower than events arrive is closed rather than buffered without end.
MAX_PENDING = 1000
CLOSE_CODES = {"AUTHENTICATION_REQUIRED": 4401, "RATE_LIMIT_EXCEEDED": 4429}


def error_frame(code: str, message: str, details: dict | None = None) -> dict:
    """RunnerHub's error object, as a frame."""
    return {"type": "error", "error": {"code": code, "message": message, "details": details,
                                       "timestamp": rfc3339(utcnow())}}


class Session:
    """The state of one accepted connection."""

    def __init__(self, identity):
        self.identity = identity
        self.events: set[str] = set()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.closing: tuple[int, str] | None = None

    def deliver(self, message: dict) -> None:
        """Queue an event for sending (called by the feed on the event loop)."""
        if self.outbox.qsize() >= MAX_PENDING:
            self.close(1008, "too slow: events dropped")
            return
        self.outbox.put_nowait(message)

    def close(self, code: int, reason: str) -> None:
        """End the connection with this close frame once what is queued before it is sent."""
        if self.closing is None:
            self.closing = (code, reason)
            self.outbox.put_nowait(None)

    def answer(self, text: str | None) -> dict:
        """The reply to one client frame (``text`` is None for a binary frame)."""
        if text is None:
            return error_frame("VALIDATION_ERROR", "binary frames are not understood: send JSON text")
        if len(text) > MAX_MESSAGE:
            return error_frame("VALIDATION_ERROR", f"message is {len(text)} characters; "
                               f"the limit is {MAX_MESSAGE}")
        try:
            # As a request body is read: nesting too deep to decode (a RecursionError ended
            # the connection) and strings no character or database holds are refused.
            message = request_json.loads(text)
        except ValueError as exc:
            return error_frame("VALIDATION_ERROR", f"message is not valid JSON: {exc}")
        except BadRequest as refused:
            return error_frame("VALIDATION_ERROR", f"message: {refused.message}")
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return error_frame("VALIDATION_ERROR", "message must be a JSON object with a string "
                               "'type' (subscribe, unsubscribe or ping)")
        kind = message["type"]
        if kind == "ping":
            return {"type": "pong", "data": {"timestamp": rfc3339(utcnow())}}
        if kind not in ("subscribe", "unsubscribe"):
            return error_frame("VALIDATION_ERROR", f"unknown message type {kind!r}: expected "
                               "subscribe, unsubscribe or ping",
                               {"field": "type", "value": kind,
                                "expected": ["subscribe", "unsubscribe", "ping"]})
        names = message.get("events")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            return error_frame("VALIDATION_ERROR", "'events' must be a non-empty list of event "
                               "type names", {"field": "events", "value": names,
                                              "expected": list(PRODUCED)})
        unusable = [name for name in names if name not in PRODUCED]
        usable = [name for name in names if name in PRODUCED]
        if kind == "subscribe":
            self.events.update(usable)
        else:
            self.events.difference_update(usable)
        if unusable:
            unknown = [name for name in unusable if name not in KNOWN]
            reason = (f"unknown event type(s) {', '.join(unknown)}" if unknown else
                      f"event type(s) {', '.join(unusable)} are not produced by this server")
            return error_frame("VALIDATION_ERROR", f"{reason}; available: {', '.join(PRODUCED)}",
                               {"field": "events", "value": unusable, "expected": list(PRODUCED),
                                "subscribed": sorted(self.events)})
        return {"type": "subscribed" if kind == "subscribe" else "unsubscribed",
                "data": {"events": sorted(self.events)}}


async def serve(ctx, feed, slots, sessions: set, environ: dict, receive, send) -> None:
    """Run one connection from its ``websocket.connect`` to its end; ``environ`` is the
    handshake's WSGI environ (its credentials), ``sessions`` the worker's open connections."""
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    slot = None
    try:
        identity = await asyncio.to_thread(handshake_identity, ctx, environ)
        slot = await asyncio.to_thread(slots.acquire, identity.user_id)
        if slot is None:
            raise HandshakeRefused("RATE_LIMIT_EXCEEDED",
                                   f"at most {slots.per_user} concurrent WebSocket connections "
                                   "per user; close one first")
    except HandshakeRefused as refusal:
        await send({"type": "websocket.send",
                    "text": json.dumps(error_frame(refusal.code, refusal.message))})
        await send({"type": "websocket.close", "code": CLOSE_CODES[refusal.code]})
        return
    session = Session(identity)
    sessions.add(session)
    try:
        await _converse(feed, session, receive, send)
    finally:
        sessions.discard(session)
        feed.discard(session)
        slots.release(slot)


async def _converse(feed, session: Session, receive, send) -> None:
    async def reader():
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            reply = session.answer(message.get("text") if message.get("text") is not None
                                   else None if message.get("bytes") is not None else "")
            if session.events:
                feed.add(session)
            else:
                feed.discard(session)
            await send({"type": "websocket.send", "text": json.dumps(reply)})

    async def writer():
        while (message := await session.outbox.get()) is not None:
            await send({"type": "websocket.send", "text": json.dumps(message)})

    tasks = [asyncio.ensure_future(reader()), asyncio.ensure_future(writer())]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    for task in pending:
        try:
            await task
        except (asyncio.CancelledError, Exception):
            pass
    if session.closing is not None:
        code, reason = session.closing
        await send({"type": "websocket.close", "code": code, "reason": reason})
    for task in done:
        if task.exception() is not None and not _disconnected(task.exception()):
            raise task.exception()


def _disconnected(error: BaseException) -> bool:
    return type(error).__name__ in ("WebSocketDisconnected", "ClientDisconnected")
