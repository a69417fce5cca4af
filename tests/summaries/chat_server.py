"""A local server speaking the OpenAI chat-completions protocol (and the AI Summarizer's), scripted per test.

`ChatServer(script)`: each POST takes the next step of `script` — ("json", dict) answers a completion
whose message content is that dict as JSON; ("text", str) answers content that is that text;
("status", code) answers that HTTP status (429 with Retry-After: 1); ("sleep", seconds) waits that long, then
answers 504 (the client has given up by then); ("raw", dict) answers that JSON body as is. Requests are recorded.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatServer:
    def __init__(self, script):
        self.script = list(script)
        self.requests: list[tuple[str, dict, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((self.path, dict(self.headers), body))
                step = server.script.pop(0) if server.script else ("status", 500)
                if step[0] == "sleep":
                    time.sleep(step[1])
                    step = ("status", 504)
                kind, value = step
                if kind == "status":
                    self.send_response(value)
                    if value == 429:
                        self.send_header("Retry-After", "1")
                    payload = json.dumps({"error": {"message": f"scripted {value}"}}).encode()
                elif kind == "raw":
                    self.send_response(200)
                    payload = json.dumps(value).encode()
                else:
                    content = json.dumps(value) if kind == "json" else value
                    self.send_response(200)
                    payload = json.dumps({"id": "chatcmpl-test", "object": "chat.completion", "model": body.get("model"),
                                          "choices": [{"index": 0, "finish_reason": "stop",
                                                       "message": {"role": "assistant", "content": content}}]}).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except BrokenPipeError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


GOOD = {
    "title": "Website relaunch planning",
    "overview": "The team moved the launch to 24 March and reviewed the ads budget.",
    "details": [{"label": "Launch date", "summary": "Moved from 10 to 24 March."},
                {"label": "Ads budget", "summary": "80% spent on search."}],
    "next_steps": [{"text": "Tell the newsletter team about the new date", "owner": "Gita Guest", "due": "Friday"}],
    "keywords": ["launch", "budget"],
    "decisions": ["Launch moves to 24 March."],
}
