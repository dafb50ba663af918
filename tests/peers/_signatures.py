"""The request signatures the providers' servers recompute: Aliyun ACS3 and Tencent TC3.

Both are written from the providers' published algorithms, not from their SDKs, so a
SDK that signs differently from what the service expects fails against the peers.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, quote, urlsplit


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _rfc3986(value: str) -> str:
    return quote(value, safe="~", encoding="utf-8")


def acs3_string_to_sign(
    method: str,
    target: str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """Aliyun's V3 (ACS3-HMAC-SHA256) string to sign for a request as the server received it.

    `target` is the request line's path with its query; `headers` have lowercase names.
    The query is decoded and re-encoded per RFC 3986 and sorted by name; the payload hash
    is computed from the body received, whatever `x-acs-content-sha256` claims.
    """
    parts = urlsplit(target)
    pairs = sorted(
        (_rfc3986(name), _rfc3986(value))
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    canonical_query = "&".join(f"{name}={value}" for name, value in pairs)
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed_headers)
    canonical_request = "\n".join(
        [
            method.upper(),
            parts.path or "/",
            canonical_query,
            canonical_headers,
            ";".join(signed_headers),
            sha256_hex(body),
        ]
    )
    return f"ACS3-HMAC-SHA256\n{sha256_hex(canonical_request.encode('utf-8'))}"


def acs3_signature(secret: str, string_to_sign: str) -> str:
    """Hex HMAC-SHA256 of the string to sign with the AccessKey secret."""
    return _hmac(secret.encode("utf-8"), string_to_sign).hex()


def tc3_string_to_sign(
    method: str,
    target: str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
    timestamp: str,
    scope: str,
) -> str:
    """Tencent Cloud's TC3-HMAC-SHA256 string to sign for a request as the server received it.

    Header names and values are lowercased and trimmed; a GET signs its query string and an
    empty payload; `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` signs that literal instead of the
    body.
    """
    parts = urlsplit(target)
    canonical_headers = "".join(
        f"{name}:{headers[name].strip().lower()}\n" for name in signed_headers
    )
    if headers.get("x-tc-content-sha256") == "UNSIGNED-PAYLOAD":
        payload = b"UNSIGNED-PAYLOAD"
    else:
        payload = b"" if method.upper() == "GET" else body
    canonical_request = "\n".join(
        [
            method.upper(),
            parts.path or "/",
            parts.query if method.upper() == "GET" else "",
            canonical_headers,
            ";".join(signed_headers),
            sha256_hex(payload),
        ]
    )
    digest = sha256_hex(canonical_request.encode("utf-8"))
    return f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{digest}"


def tc3_signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    """Hex signature from the key derived as TC3<key> -> date -> service -> tc3_request."""
    key = _hmac(f"TC3{secret_key}".encode(), date)
    key = _hmac(key, service)
    key = _hmac(key, "tc3_request")
    return _hmac(key, string_to_sign).hex()
