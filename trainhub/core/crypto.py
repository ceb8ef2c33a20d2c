"""Field-level encryption (AES-256-GCM) and blind indexes for sensitive columns.

Tokens look like ``"<version>:<urlsafe-base64(nonce + ciphertext)>"`` so keys can
be rotated: old tokens still name the key that sealed them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "DecryptionError",
    "FieldCipher",
    "blind_index",
    "configure",
    "generate_key_text",
    "get_cipher",
    "get_index_key",
    "key_from_text",
]

KEY_BYTES = 32
_NONCE_BYTES = 12
_VERSION_RE = re.compile(r"[A-Za-z0-9_.-]+")
_HEX_KEY_RE = re.compile(r"[0-9a-fA-F]{64}")


class DecryptionError(Exception):
    """A token could not be decrypted (tampered, wrong context or unknown key)."""


class FieldCipher:
    """AES-256-GCM cipher over a set of versioned keys; encrypts with ``current``."""

    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        if current not in keys:
            raise ValueError(f"current key version {current!r} is not among the keys")
        for version, key in keys.items():
            _check_version(version)
            _check_key(key)
        self._aeads = {version: AESGCM(key) for version, key in keys.items()}
        self.current = current

    def encrypt(self, plaintext: str, context: bytes = b"") -> str:
        """Seal ``plaintext`` with the current key; ``context`` is bound as AAD."""
        # A fresh random nonce per call: GCM is broken by nonce reuse under one key.
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aeads[self.current].encrypt(nonce, plaintext.encode("utf-8"), context)
        return f"{self.current}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str, context: bytes = b"") -> str:
        """Open a token produced by :meth:`encrypt` with the same ``context``."""
        version, blob = self._split(token)
        nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
        try:
            plaintext = self._aeads[version].decrypt(nonce, sealed, context)
        except InvalidTag:
            raise DecryptionError("token failed authentication") from None
        return plaintext.decode("utf-8")

    def key_version(self, token: str) -> str:
        """Return the key version a token was sealed with (for re-encryption jobs)."""
        return self._split(token)[0]

    def _split(self, token: str) -> tuple[str, bytes]:
        version, sep, encoded = token.partition(":")
        if not sep or version not in self._aeads:
            raise DecryptionError("unknown key version or malformed token")
        try:
            blob = base64.b64decode(encoded, altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise DecryptionError("token is not valid base64") from None
        # GCM appends a 16-byte tag, so anything shorter cannot be a real token.
        if len(blob) < _NONCE_BYTES + 16:
            raise DecryptionError("token is too short")
        return version, blob


def _check_version(version: str) -> None:
    # ':' separates the version from the payload, so it may not appear in a name.
    if not _VERSION_RE.fullmatch(version):
        raise ValueError(f"invalid key version name {version!r}")


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"keys must be {KEY_BYTES} bytes, got {len(key)}")


def blind_index(key: bytes, value: str) -> str:
    """HMAC-SHA256 hex digest of ``value``; callers normalise ``value`` first."""
    # Identity numbers have little entropy, so only a long secret key stops
    # someone with the database from brute-forcing the index back to the number.
    if len(key) < KEY_BYTES:
        raise ValueError(f"index key must be at least {KEY_BYTES} bytes")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def key_from_text(text: str) -> bytes:
    """Decode a 32-byte key given as 64 hex chars or urlsafe base64."""
    text = text.strip()
    if _HEX_KEY_RE.fullmatch(text):
        return bytes.fromhex(text)
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("key must be 64 hex characters or urlsafe base64") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"key must decode to {KEY_BYTES} bytes, got {len(key)}")
    return key


def generate_key_text() -> str:
    """Return a new random 32-byte key as 64 hex characters."""
    return secrets.token_hex(KEY_BYTES)


@dataclass(frozen=True)
class _Registry:
    cipher: FieldCipher
    index_key: bytes


_registry: _Registry | None = None


def configure(cipher: FieldCipher, index_key: bytes) -> None:
    """Install the process-wide cipher and blind-index key (call at start-up)."""
    global _registry
    if len(index_key) < KEY_BYTES:
        raise ValueError(f"index key must be at least {KEY_BYTES} bytes")
    _registry = _Registry(cipher=cipher, index_key=index_key)


def _require() -> _Registry:
    if _registry is None:
        raise RuntimeError(
            "Field encryption is not configured: call trainhub.core.crypto.configure() "
            "during application start-up."
        )
    return _registry


def get_cipher() -> FieldCipher:
    """Return the configured :class:`FieldCipher`."""
    return _require().cipher


def get_index_key() -> bytes:
    """Return the configured blind-index key."""
    return _require().index_key
