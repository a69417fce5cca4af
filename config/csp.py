"""Content-Security-Policy for the site's HTML pages.

Scripts and styles come from our own origin only (no inline script); the room needs camera and
microphone streams (`media-src blob: mediastream:`) and its WebSocket to our own host (`connect-src`,
written out as ws(s)://host because older browsers do not count WebSockets as 'self'). Swagger UI
(/docs/api/) runs an inline bootstrap script, so it gets no policy rather than a broken one.

The room page alone (`policy(request, wasm=True)`, set by its view) adds 'wasm-unsafe-eval': its
noise suppression (RNNoise) and background segmentation compile WebAssembly from our own static
files. That keyword allows WebAssembly compilation only, not eval() of JavaScript.
"""

from __future__ import annotations

EXEMPT_PREFIXES = ("/docs/api/",)


def policy(request, *, wasm: bool = False) -> str:
    host = request.get_host()
    ws = "wss" if request.is_secure() else "ws"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'" if wasm else "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes in templates; no script can run from them
        "img-src 'self' data: blob:",  # QR codes are data: URIs
        "media-src 'self' blob: mediastream:",
        f"connect-src 'self' {ws}://{host}",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "text/html" in response.get("Content-Type", "") and not request.path.startswith(EXEMPT_PREFIXES) \
                and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(request)
        return response
