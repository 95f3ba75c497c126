"""Authenticator-app codes as the tests compute them (RFC 6238 over RFC 4226: HMAC-SHA1, six
digits, 30-second steps), for operators' and verifiers' second factor, and the secret as the
set-up pages show it."""

import base64
import hashlib
import hmac
import re
import struct
import time

SECRET_ON_PAGE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def totp(secret: str, at: float | None = None) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def secret_on(page_text: str) -> str:
    """The secret a set-up page shows for typing in by hand."""
    match = SECRET_ON_PAGE.search(page_text)
    assert match, "no secret on the set-up page"
    return match.group(1)
