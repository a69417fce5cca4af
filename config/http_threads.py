"""HTTP in the web process: Django's WSGI handler on a bounded pool of WEB_THREADS threads.

Daphne serves both HTTP and WebSockets (config.asgi); WebSockets stay on Channels. Our views and
middleware are all synchronous, so under Django's ASGI handler every request started a thread of
its own (asgiref's per-request ThreadSensitiveContext) and crossed between that thread and the
event loop at each sync/async boundary of the middleware chain, each crossing waiting its turn on a
busy loop. Here a request runs from first middleware to response in one pool thread: one hand-off
to the thread, one back with the response. The pool bounds how many requests a process runs at once
(the rest wait in order on the event loop). bench/api_load.py measured the difference (docs/scaling.md).

The pool is small (WEB_THREADS, 2 by default): Python runs one thread at a time, and measured on
/v2 load, every thread past two only added hand-offs of the interpreter lock (docs/scaling.md). A
streamed response (a recording played or downloaded, for as long as the client takes) must not hold
one of those threads: once its view has returned, its database connection goes back to the pool and
its chunks are sent from a thread of a second, larger pool (WEB_STREAM_THREADS), which mostly waits
on the client.

The threads are started by asgiref's SyncToAsync, so `async_to_sync` in a view (the channel layer's
group_send) runs on the server's event loop, as before. The pools are separate from the loop's
default executor, where Channels runs consumers' database work: HTTP load cannot starve WebSockets.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import AsyncToSync, sync_to_async
from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

_pool = ThreadPoolExecutor(max_workers=settings.WEB_THREADS, thread_name_prefix="http")
_streams = ThreadPoolExecutor(max_workers=settings.WEB_STREAM_THREADS, thread_name_prefix="http-stream")


class _Request(WsgiToAsgiInstance):
    """One request: asgiref reads the body and builds the WSGI environ; the response goes back in as
    few hand-offs to the event loop as it has chunks (one for an ordinary response)."""

    async def __call__(self, scope, receive, send):
        self._send = send
        await super().__call__(scope, receive, send)

    def start_response(self, status, response_headers, exc_info=None):
        # asgiref's encodes header values as ASCII; WSGI (PEP 3333) and Django allow Latin-1.
        if self.response_started and exc_info:
            raise exc_info[1].with_traceback(exc_info[2])
        self.response_start = {"type": "http.response.start", "status": int(status.split(" ", 1)[0]),
                               "headers": [(name.lower().encode("latin-1"), value.encode("latin-1"))
                                           for name, value in response_headers]}

    async def run_wsgi_app(self, body):
        streaming = await sync_to_async(self._respond, thread_sensitive=False, executor=_pool)(body)
        if streaming is not None:
            await sync_to_async(self._send_result, thread_sensitive=False, executor=_streams)(streaming)

    async def _send_all(self, messages: list[dict]) -> None:
        for message in messages:
            await self._send(message)

    def _respond(self, body):
        """Runs the request; sends the response, or returns it when it is streamed (run_wsgi_app sends it)."""
        try:
            environ = self.build_environ(self.scope, body)
        except ValueError:  # too many duplicate headers (asgiref's limit)
            AsyncToSync(self._send_all)([
                {"type": "http.response.start", "status": 400, "headers": [(b"content-type", b"text/plain")]},
                {"type": "http.response.body", "body": b"Bad Request: too many duplicate headers"}])
            return None
        result = self.wsgi_application(environ, self.start_response)
        if getattr(result, "streaming", False):
            close_old_connections()  # back to the pool now, not when the client has read the last chunk
            return result
        self._send_result(result)
        return None

    def _send_result(self, result) -> None:
        send_all = AsyncToSync(self._send_all)
        try:
            # Each chunk is held back until the next one (or the end) shows whether more follow.
            pending: list[dict] = []
            for chunk in result:
                if not chunk:
                    continue
                if pending:
                    send_all(pending)
                    pending = []
                if not self.response_started:
                    self.response_started = True
                    pending.append(self.response_start)
                pending.append({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # Django's request_finished: the database connection goes back to the pool
        if not self.response_started:
            self.response_started = True
            pending.append(self.response_start)
        if pending and pending[-1]["type"] == "http.response.body":
            pending[-1]["more_body"] = False
        else:
            pending.append({"type": "http.response.body"})
        send_all(pending)


class ThreadedWsgiHttp(WsgiToAsgi):
    async def __call__(self, scope, receive, send):
        await _Request(self.wsgi_application, self.duplicate_header_limit)(scope, receive, send)


def http_application() -> ThreadedWsgiHttp:
    return ThreadedWsgiHttp(get_wsgi_application())
