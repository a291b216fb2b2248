"""Open opaque S/MIME (`application/pkcs7-mime`): the MIME entity a signed message carries inside.

The signature is not checked (the tool holds no trust store: a signed mail is read as a mail);
an encrypted one (enveloped-data) cannot be read without the recipient's private key.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from workflow.parsers.base import Illisible, Motif

SIGNED = "signed_data"
ENCRYPTED = frozenset({"enveloped_data", "encrypted_data", "authenticated_enveloped_data"})
CHIFFRE = (
    "courriel chiffré (S/MIME) : il ne peut être lu qu'avec la clé privée de son destinataire ; "
    "demander au partenaire de renvoyer son formulaire sans chiffrement"
)


@dataclass(frozen=True)
class Enveloppe:
    """What an S/MIME part holds: its CMS content type and, when signed, the signed bytes."""

    type: str  # asn1crypto's name: signed_data, enveloped_data, compressed_data…
    contenu: bytes | None  # the signed MIME entity; None when encrypted, detached or unreadable

    @property
    def chiffree(self) -> bool:
        return self.type in ENCRYPTED


def open_pkcs7(data: bytes) -> Enveloppe:
    """Return what a DER (or PEM-armoured) CMS structure holds; a broken one is of type "illisible"."""
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(_der(data))
        kind = str(info["content_type"].native)
        if kind != SIGNED:
            return Enveloppe(kind, None)
        signed = info["content"]["encap_content_info"]["content"].native
        return Enveloppe(kind, signed if isinstance(signed, bytes) else None)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):  # asn1crypto on damaged input
        return Enveloppe("illisible", None)


def refus_chiffre() -> Illisible:
    """Return the refusal of an encrypted e-mail, in French."""
    return Illisible(Motif.CHIFFRE, CHIFFRE)


def _der(data: bytes) -> bytes:
    """Return DER bytes from a PEM armour (« -----BEGIN PKCS7----- ») when there is one."""
    text = data.lstrip()
    if not text.startswith(b"-----BEGIN"):
        return data
    body = b"".join(line for line in text.splitlines()[1:] if line and not line.startswith(b"-----"))
    try:
        return base64.b64decode(body)
    except (binascii.Error, ValueError):
        return data
