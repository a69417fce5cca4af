"""A local server speaking OpenAI's `POST /v1/audio/transcriptions` (multipart in, JSON out), for
the tests of the OpenAI-compatible STT engine. Its behaviour is scripted per request: an answer,
an HTTP error, or a delay longer than the client's timeout. It records what it received."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Received:
    def __init__(self, headers, fields: dict, wav: dict):
        self.headers, self.fields, self.wav = headers, fields, wav


def parse_multipart(content_type: str, body: bytes) -> tuple[dict, dict]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_param("filename", header="content-disposition")
        payload = part.get_payload(decode=True)
        if filename:
            files[name] = (filename, part.get_content_type(), payload)
        else:
            fields[name] = payload.decode()
    return fields, files


class OpenAISttServer:
    def __init__(self):
        self.script: list = []  # each: ("ok", body) | ("status", code) | ("sleep", seconds, body)
        self.received: list[Received] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                if self.path != "/v1/audio/transcriptions":
                    self.send_error(404)
                    return
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fields, files = parse_multipart(self.headers["Content-Type"], body)
                wav = {}
                if "file" in files:
                    with wave.open(io.BytesIO(files["file"][2])) as w:
                        wav = {"rate": w.getframerate(), "channels": w.getnchannels(), "width": w.getsampwidth(),
                               "frames": w.getnframes(), "content_type": files["file"][1]}
                server.received.append(Received(dict(self.headers), fields, wav))
                step = server.script.pop(0) if server.script else ("ok", {"text": "hello"})
                if step[0] == "sleep":
                    time.sleep(step[1])
                    step = ("ok", step[2])
                if step[0] == "status":
                    payload = json.dumps({"error": {"message": "scripted failure"}}).encode()
                    self.send_response(step[1])
                else:
                    payload = json.dumps(step[1]).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
