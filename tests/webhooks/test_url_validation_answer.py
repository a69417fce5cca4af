"""Zoom's `endpoint.url_validation` handshake: encryptedToken = hex HMAC-SHA256(secret, plainToken),
checked here against an HMAC written out by hand (RFC 2104), not the module under test."""

import hashlib

from webhooks.signing import url_validation_passes, url_validation_response


def rfc2104_hmac_sha256_hex(key: bytes, message: bytes) -> str:
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in key) + inner).hexdigest()


def test_the_answer_is_the_hmac_of_the_plain_token_with_the_secret():
    answer = url_validation_response("secret-token-xyz", "qgg8vlvZRS6UYooatFL8Aw")
    assert answer == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw",
                      "encryptedToken": rfc2104_hmac_sha256_hex(b"secret-token-xyz", b"qgg8vlvZRS6UYooatFL8Aw")}


def test_a_receiver_that_holds_the_secret_passes():
    good = {"plainToken": "p1", "encryptedToken": rfc2104_hmac_sha256_hex(b"s" * 80, b"p1")}
    assert url_validation_passes("s" * 80, "p1", good)


def test_wrong_secret_wrong_token_or_garbage_fails():
    assert not url_validation_passes("s", "p1", {"plainToken": "p1",
                                                 "encryptedToken": rfc2104_hmac_sha256_hex(b"other", b"p1")})
    assert not url_validation_passes("s", "p1", {"plainToken": "p2",
                                                 "encryptedToken": rfc2104_hmac_sha256_hex(b"s", b"p2")})
    assert not url_validation_passes("s", "p1", ["not", "a", "dict"])
    assert not url_validation_passes("s", "p1", {"plainToken": "p1"})
