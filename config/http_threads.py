"""HTTP in the web process: Django's WSGI handler on a bounded pool of WEB_THREADS threads.

Daphne serves both HTTP and WebSockets (config.asgi); WebSockets stay on Channels. Our views and
middleware are all synchronous, so under Django's ASGI handler every request started a thread of
its own (asgiref's per-request ThreadSensitiveContext) and crossed between that thread and the
event loop at each sync/async boundary of the middleware chain, each crossing waiting its turn on a
busy loop. Here a request runs from first middleware to response in one pool thread: one hand-off
to the thread, one back with the response. The pool bounds how many requests a process runs at once
(the rest wait in order on the event loop). bench/api_load.py measured the difference (docs/scaling.md).

The threads are started by asgiref's SyncToAsync, so `async_to_sync` in a view (the channel layer's
group_send) runs on the server's event loop, as before. The pool is separate from the loop's default
executor, where Channels runs consumers' database work: HTTP load cannot starve WebSockets.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import AsyncToSync, sync_to_async
from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance
from django.conf import settings
from django.core.wsgi import get_wsgi_application

_pool = ThreadPoolExecutor(max_workers=settings.WEB_THREADS, thread_name_prefix="http")


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
        await sync_to_async(self._respond, thread_sensitive=False, executor=_pool)(body)

    async def _send_all(self, messages: list[dict]) -> None:
        for message in messages:
            await self._send(message)

    def _respond(self, body) -> None:
        send_all = AsyncToSync(self._send_all)
        try:
            environ = self.build_environ(self.scope, body)
        except ValueError:  # too many duplicate headers (asgiref's limit)
            send_all([{"type": "http.response.start", "status": 400, "headers": [(b"content-type", b"text/plain")]},
                      {"type": "http.response.body", "body": b"Bad Request: too many duplicate headers"}])
            return
        result = self.wsgi_application(environ, self.start_response)
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
