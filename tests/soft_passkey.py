"""A passkey in software, for tests: the answers a phone's authenticator gives the browser.

An ES256 key with "none" attestation, as phones send it, built with `cryptography` and `cbor2`
(both come with django-otp-webauthn). The server's whole side of WebAuthn — challenge, origin,
relying party, signature, counter — then runs for real through the test client; the real
browser with a virtual authenticator is tests/browser/test_passkeys.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_CREDENTIAL = 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftPasskey:
    def __init__(self, *, rp_id: str = "localhost", origin: str = "http://localhost"):
        self.rp_id = rp_id
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle: str | None = None
        self.sign_count = 0

    def _cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _authenticator_data(self, flags: int, attested: bytes = b"") -> bytes:
        rp_id_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_id_hash + bytes([flags]) + struct.pack(">I", self.sign_count) + attested

    def _client_data(self, kind: str, challenge: str) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _identity(self) -> dict:
        encoded = b64url(self.credential_id)
        return {"id": encoded, "rawId": encoded, "type": "public-key"}

    def register(self, options: dict) -> dict:
        """The answer to navigator.credentials.create() with the server's `options`."""
        self.user_handle = options["user"]["id"]
        attested = (
            bytes(16)  # AAGUID: none given
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_public_key()
        )
        flags = USER_PRESENT | USER_VERIFIED | ATTESTED_CREDENTIAL
        attestation = {
            "fmt": "none",
            "attStmt": {},
            "authData": self._authenticator_data(flags, attested),
        }
        client_data = self._client_data("webauthn.create", options["challenge"])
        return {
            **self._identity(),
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(cbor2.dumps(attestation)),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
            "authenticatorAttachment": "platform",
        }

    def sign_in(self, options: dict, *, verified: bool = True) -> dict:
        """The answer to navigator.credentials.get(); `verified`: the fingerprint was shown."""
        self.sign_count += 1
        flags = USER_PRESENT | (USER_VERIFIED if verified else 0)
        authenticator_data = self._authenticator_data(flags)
        client_data = self._client_data("webauthn.get", options["challenge"])
        signed = authenticator_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            **self._identity(),
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(authenticator_data),
                "signature": b64url(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
