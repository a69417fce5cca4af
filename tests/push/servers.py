"""Local stand-ins for Apple's and Google's push services, speaking their protocols on loopback.

- `ApnsServer`: HTTP/2 over TLS (ALPN h2; a certificate from `make_tls_certificate`, a test CA), the
  APNs provider API: `POST /3/device/<token>`. It records every request (pseudo-headers, headers,
  JSON body) and answers from a script (`answers`: (status, JSON body or None, extra headers)), 200
  with the `apns-id` when the script is empty.
- `FcmServer`: HTTP/1.1, the OAuth 2.0 token endpoint of a service account (the JWT-bearer grant; the
  RS256 assertion checked with the service account's public key) and FCM HTTP v1's
  `POST /v1/projects/<project>/messages:send`, which accepts only access tokens it issued.
- `verify_jwt`: checks a JWT's signature with cryptography alone (ES256 and RS256), independently of
  the PyJWT the product signs with.

Helpers only: the fixtures are in tests/push/conftest.py.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import ipaddress
import json
import queue
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import h2.config
import h2.connection
import h2.events
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

# --- JWTs, checked without PyJWT ---------------------------------------------------------------------


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class BadJwt(AssertionError):
    pass


def verify_jwt(token: str, public_key, algorithm: str) -> tuple[dict, dict]:
    """(header, claims) of a JWT whose signature `public_key` verifies; BadJwt otherwise."""
    try:
        header_part, claims_part, signature_part = token.split(".")
    except ValueError:
        raise BadJwt("not a JWS compact serialization") from None
    header, claims = json.loads(_b64decode(header_part)), json.loads(_b64decode(claims_part))
    if header.get("alg") != algorithm:
        raise BadJwt(f"alg {header.get('alg')!r}, expected {algorithm}")
    signed, signature = f"{header_part}.{claims_part}".encode(), _b64decode(signature_part)
    try:
        if algorithm == "ES256":
            if len(signature) != 64:  # JWS ES256: r and s, 32 bytes each (not DER)
                raise BadJwt("an ES256 signature is 64 bytes")
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            public_key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
        elif algorithm == "RS256":
            public_key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise BadJwt(f"unexpected alg {algorithm}")
    except BadJwt:
        raise
    except Exception as exc:  # cryptography's InvalidSignature
        raise BadJwt(f"signature does not verify: {exc!r}") from None
    return header, claims


# --- keys and certificates ---------------------------------------------------------------------------


def p8_key() -> tuple[str, ec.EllipticCurvePublicKey]:
    """An APNs signing key as Apple hands it out (.p8: PKCS#8 PEM of a P-256 key) and its public key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, key.public_key()


def service_account_key() -> tuple[str, rsa.RSAPublicKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, key.public_key()


def make_tls_certificate(directory: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for 127.0.0.1, under `directory`."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Push test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


# --- APNs: HTTP/2 over TLS ---------------------------------------------------------------------------


class ApnsServer:
    def __init__(self, cert: Path, key: Path):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.context.set_alpn_protocols(["h2"])
        self.requests: list[dict] = []
        self.answers: queue.Queue = queue.Queue()
        self.protocols: list[str | None] = []
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def answer(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        """The next request gets this answer (in order; 200 once the script is used up)."""
        self.answers.put((status, body, headers or {}))

    def start(self) -> ApnsServer:
        self._thread.start()
        assert self._ready.wait(10), "the APNs server did not start"
        return self

    def stop(self) -> None:
        async def close_connections():
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close_connections(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.context))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()
        server.close()

    def _respond(self, connection: h2.connection.H2Connection, stream_id: int, request: dict) -> None:
        self.requests.append(request)
        try:
            status, body, extra = self.answers.get_nowait()
        except queue.Empty:
            status, body, extra = 200, None, {}
        headers = [(":status", str(status)), ("apns-id", request["headers"].get("apns-id", "")),
                   *extra.items()]
        data = json.dumps(body).encode() if body is not None else b""
        if data:
            headers += [("content-type", "application/json"), ("content-length", str(len(data)))]
        connection.send_headers(stream_id, headers, end_stream=not data)
        if data:
            connection.send_data(stream_id, data, end_stream=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.protocols.append(writer.get_extra_info("ssl_object").selected_alpn_protocol())
        connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
        connection.initiate_connection()
        writer.write(connection.data_to_send())
        streams: dict[int, dict] = {}
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        streams[event.stream_id] = {"headers": dict(event.headers), "body": b""}
                    elif isinstance(event, h2.events.DataReceived):
                        streams[event.stream_id]["body"] += event.data
                        connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        request = streams.pop(event.stream_id)
                        request["json"] = json.loads(request["body"]) if request["body"] else None
                        self._respond(connection, event.stream_id, request)
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        break
                writer.write(connection.data_to_send())
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()


# --- FCM: the service account's token endpoint and HTTP v1 ------------------------------------------


class FcmServer:
    def __init__(self, public_key, client_email: str, key_id: str, project: str):
        self.public_key, self.client_email, self.key_id, self.project = public_key, client_email, key_id, project
        self.grants: list[dict] = []  # (header, claims) of every accepted assertion
        self.refused_grants: list[str] = []
        self.messages: list[dict] = []  # {"authorization", "body"} of every messages:send request
        self.answers: queue.Queue = queue.Queue()
        self.issued: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=UTF-8")
                self.send_header("content-length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.path == "/token":
                    return self._reply(*server.grant(self.headers.get("content-type", ""), body))
                if self.path == f"/v1/projects/{server.project}/messages:send":
                    return self._reply(*server.send(self.headers.get("authorization", ""), body))
                return self._reply(404, {"error": {"code": 404, "message": "no such path", "status": "NOT_FOUND"}})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, status: int, body: dict, headers: dict | None = None) -> None:
        self.answers.put((status, body, headers or {}))

    def start(self) -> FcmServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def grant(self, content_type: str, body: bytes):
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return 400, {"error": "invalid_request", "error_description": "form body expected"}
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {"error": "unsupported_grant_type"}
        try:
            header, claims = verify_jwt(form.get("assertion", ""), self.public_key, "RS256")
        except BadJwt as exc:
            self.refused_grants.append(str(exc))
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        now = time.time()
        if (claims.get("iss") != self.client_email or claims.get("aud") != f"{self.url}/token"
                or claims.get("scope") != "https://www.googleapis.com/auth/firebase.messaging"
                or header.get("kid") != self.key_id
                or not claims["iat"] - 300 <= now <= claims["exp"] or claims["exp"] - claims["iat"] > 3600):
            self.refused_grants.append(f"claims {claims} header {header}")
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT claims."}
        self.grants.append({"header": header, "claims": claims})
        token = f"ya29.test-{len(self.grants)}"
        self.issued.add(token)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def send(self, authorization: str, body: bytes):
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or token not in self.issued:
            return 401, {"error": {"code": 401, "status": "UNAUTHENTICATED",
                                   "message": "Request had invalid authentication credentials."}}
        self.messages.append({"authorization": authorization, "body": json.loads(body)})
        try:
            return self.answers.get_nowait()
        except queue.Empty:
            return 200, {"name": f"projects/{self.project}/messages/{len(self.messages)}"}
