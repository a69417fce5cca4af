"""A webhook receiver on loopback: a real HTTP server that answers Zoom's URL validation with the
secret it is given (an independent HMAC) and records every delivery; it can be told to fail."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    def __init__(self):
        self.secret = ""
        self.status = 200  # what event deliveries get
        self.answer_validation = True
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                event = json.loads(body)
                if event.get("event") == "endpoint.url_validation":
                    plain = event["payload"]["plainToken"]
                    secret = receiver.secret if receiver.answer_validation else "not-the-secret"
                    encrypted = hmac.new(secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
                    answer = json.dumps({"plainToken": plain, "encryptedToken": encrypted}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                receiver.requests.append((dict(self.headers), body))
                reply = b"ok" if receiver.status < 300 else b"receiver says no " + b"x" * 2000
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/zoom/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _, body in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscribed(receiver, make_user):
    """An owner's account with an active subscription (validated through the handshake) to `receiver`."""
    from webhooks import subscriptions
    from webhooks.models import Subscription

    owner = make_user()
    pending = Subscription(account=owner.account)
    receiver.secret = pending.secret_token

    def create(events=("meeting.started", "meeting.ended", "recording.started")):
        subscription = Subscription.objects.create(account=owner.account, url=receiver.url, events=list(events),
                                                   secret_token=receiver.secret)
        return subscriptions.enable(subscription)

    return create
