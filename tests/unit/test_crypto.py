"""Unit tests for trainhub.core.crypto."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainhub.core import crypto
from trainhub.core.crypto import (
    DecryptionError,
    FieldCipher,
    blind_index,
    generate_key_text,
    key_from_text,
)

K1 = bytes(range(32))
K2 = bytes(range(32, 64))
INDEX_KEY = b"\x07" * 32
ID_NUMBER = "11010519491231002X"


def cipher(current: str = "k1") -> FieldCipher:
    return FieldCipher({"k1": K1, "k2": K2}, current=current)


def flip_byte(token: str, index: int) -> str:
    version, _, encoded = token.partition(":")
    blob = bytearray(base64.urlsafe_b64decode(encoded))
    blob[index] ^= 0x01
    return f"{version}:{base64.urlsafe_b64encode(bytes(blob)).decode()}"


# --- FieldCipher -------------------------------------------------------------


def test_round_trip_and_token_shape() -> None:
    token = cipher().encrypt(ID_NUMBER)
    assert token.startswith("k1:")
    assert len(base64.urlsafe_b64decode(token[3:])) == 12 + len(ID_NUMBER) + 16
    assert cipher().decrypt(token) == ID_NUMBER


@given(st.text())
def test_round_trip_any_text(plaintext: str) -> None:
    assert cipher().decrypt(cipher().encrypt(plaintext)) == plaintext


def test_nonce_is_random() -> None:
    assert cipher().encrypt(ID_NUMBER) != cipher().encrypt(ID_NUMBER)


@given(st.text("0123456789X", min_size=18, max_size=18))
def test_ciphertext_never_contains_plaintext(number: str) -> None:
    token = cipher().encrypt(number)
    assert number not in token
    assert number.encode() not in base64.urlsafe_b64decode(token[3:])


@pytest.mark.parametrize("index", [0, 11, 12, -1])  # nonce, body, tag
def test_tamper_detection(index: int) -> None:
    token = cipher().encrypt(ID_NUMBER)
    with pytest.raises(DecryptionError):
        cipher().decrypt(flip_byte(token, index))


def test_context_is_bound_as_associated_data() -> None:
    token = cipher().encrypt(ID_NUMBER, context=b"trainee.id_number")
    assert cipher().decrypt(token, context=b"trainee.id_number") == ID_NUMBER
    with pytest.raises(DecryptionError):
        cipher().decrypt(token)
    with pytest.raises(DecryptionError):
        cipher().decrypt(token, context=b"trainee.phone")


def test_key_rotation() -> None:
    old_token = FieldCipher({"k1": K1}, current="k1").encrypt(ID_NUMBER)
    rotated = cipher(current="k2")
    assert rotated.decrypt(old_token) == ID_NUMBER
    new_token = rotated.encrypt(ID_NUMBER)
    assert new_token.startswith("k2:")
    assert rotated.key_version(old_token) == "k1"
    assert rotated.key_version(new_token) == "k2"


def test_swapping_version_prefix_fails() -> None:
    token = cipher().encrypt(ID_NUMBER)
    with pytest.raises(DecryptionError):
        cipher().decrypt("k2" + token[2:])


@pytest.mark.parametrize(
    "token", ["", "no-separator", "k9:AAAA", "k1:not base64!", "k1:AAAA", "k1:" + "A" * 36 + "=="]
)
def test_malformed_tokens(token: str) -> None:
    with pytest.raises(DecryptionError):
        cipher().decrypt(token)


def test_unknown_version_after_key_removed() -> None:
    token = cipher(current="k2").encrypt(ID_NUMBER)
    with pytest.raises(DecryptionError):
        FieldCipher({"k1": K1}, current="k1").decrypt(token)


@pytest.mark.parametrize(
    ("keys", "current"),
    [
        ({"k1": K1}, "k2"),
        ({"k1": b"short"}, "k1"),
        ({"k:1": K1}, "k:1"),
        ({"": K1}, ""),
    ],
)
def test_invalid_cipher_configuration(keys: dict[str, bytes], current: str) -> None:
    with pytest.raises(ValueError):
        FieldCipher(keys, current=current)


# --- blind index -------------------------------------------------------------


def test_blind_index_is_deterministic_hex() -> None:
    first = blind_index(INDEX_KEY, ID_NUMBER)
    assert first == blind_index(INDEX_KEY, ID_NUMBER)
    assert len(first) == 64
    int(first, 16)
    assert ID_NUMBER not in first


def test_blind_index_depends_on_key_and_value() -> None:
    assert blind_index(INDEX_KEY, ID_NUMBER) != blind_index(b"\x08" * 32, ID_NUMBER)
    assert blind_index(INDEX_KEY, ID_NUMBER) != blind_index(INDEX_KEY, ID_NUMBER.lower())


def test_blind_index_rejects_short_key() -> None:
    with pytest.raises(ValueError):
        blind_index(b"short", ID_NUMBER)


# --- key text ----------------------------------------------------------------


def test_generated_key_text_round_trips() -> None:
    text = generate_key_text()
    assert len(text) == 64
    assert len(key_from_text(text)) == 32
    assert generate_key_text() != text


def test_key_from_hex_and_base64() -> None:
    assert key_from_text(K1.hex()) == K1
    assert key_from_text(K1.hex().upper()) == K1
    assert key_from_text(base64.urlsafe_b64encode(K2).decode()) == K2
    assert key_from_text(base64.urlsafe_b64encode(K2).decode().rstrip("=")) == K2
    assert key_from_text(f"  {K1.hex()}\n") == K1


@pytest.mark.parametrize(
    "text",
    ["", "abc", "0" * 63, "zz" * 32, base64.urlsafe_b64encode(b"x" * 16).decode(), "!" * 44],
)
def test_key_from_text_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValueError):
        key_from_text(text)


# --- registry ----------------------------------------------------------------


def test_registry_unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "_registry", None)
    with pytest.raises(RuntimeError, match="configure"):
        crypto.get_cipher()
    with pytest.raises(RuntimeError, match="configure"):
        crypto.get_index_key()


def test_registry_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "_registry", None)
    field_cipher = cipher()
    crypto.configure(field_cipher, INDEX_KEY)
    assert crypto.get_cipher() is field_cipher
    assert crypto.get_index_key() == INDEX_KEY


def test_registry_rejects_short_index_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "_registry", None)
    with pytest.raises(ValueError):
        crypto.configure(cipher(), b"short")
