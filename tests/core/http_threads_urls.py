"""URLs of the Daphne child in test_http_threads.py (http_threads_settings): the product's own plus
a few views that report how the web process ran them."""

import asyncio
import gc
import threading
import time

from asgiref.sync import async_to_sync
from django.core.signals import request_finished
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import include, path

_lock = threading.Lock()
_running = {"now": 0, "peak": 0}
_finished = {"count": 0, "streams started": 0}


def _count_finished(**kwargs):
    _finished["count"] += 1


request_finished.connect(_count_finished, dispatch_uid="test-http-threads")


def slow(request):
    with _lock:
        _running["now"] += 1
        _running["peak"] = max(_running["peak"], _running["now"])
    time.sleep(0.3)
    with _lock:
        _running["now"] -= 1
    return JsonResponse({"thread": threading.current_thread().name, "peak": _running["peak"]})


def finished(request):
    return JsonResponse({"finished": _finished["count"], "streams started": _finished["streams started"]})


def stream(request):
    return StreamingHttpResponse(chunk * 1000 for chunk in (b"a", b"b", b"c"))


_gate = threading.Event()


def gated_stream(request):
    """Streams one chunk, then waits (up to 10 s) for /test-http/open-gate before its last one."""
    def chunks():
        with _lock:
            _finished["streams started"] += 1
        yield b"started;"
        yield b"opened" if _gate.wait(10) else b"timed out"
    return StreamingHttpResponse(chunks())


def open_gate(request):
    _gate.set()
    return JsonResponse({"thread": threading.current_thread().name})


def latin1(request):
    response = JsonResponse({})
    response["X-Name"] = "café"
    return response


async def _where() -> str:
    await asyncio.sleep(0)
    return threading.current_thread().name


def coroutine(request):
    return JsonResponse({"view": threading.current_thread().name, "coroutine": async_to_sync(_where)()})


def frozen(request):
    return JsonResponse({"frozen": gc.get_freeze_count()})


urlpatterns = [
    path("test-http/slow", slow),
    path("test-http/finished", finished),
    path("test-http/stream", stream),
    path("test-http/gated-stream", gated_stream),
    path("test-http/open-gate", open_gate),
    path("test-http/latin1", latin1),
    path("test-http/coroutine", coroutine),
    path("test-http/frozen", frozen),
    path("", include("config.urls")),
]
