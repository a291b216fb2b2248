"""Build S/MIME e-mails at test time, as a mail client would: opaque signed (application/pkcs7-mime,
smime-type=signed-data) and encrypted (enveloped-data), with a throwaway key and certificate."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

OPENSSL = shutil.which("openssl")


@functools.cache
def identity() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A self-signed certificate and its key, made once per test run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sophie@caf.example.fr")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def content(form: bytes | None, name: str = "reponse.docx", body: str = "Veuillez trouver notre réponse.") -> bytes:
    """The MIME entity a client signs: a text body and, when given, the form attached."""
    entity = EmailMessage(policy=policy.SMTP)
    entity.set_content(body)
    if form is not None:
        entity.add_attachment(form, maintype="application", subtype="octet-stream", filename=name)
    return entity.as_bytes()


def signed_der(entity: bytes) -> bytes:
    """A CMS signed-data structure carrying the entity inside (not detached)."""
    cert, key = identity()
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(entity)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def enveloped_der(entity: bytes) -> bytes:
    """A CMS enveloped-data structure: the entity encrypted for our certificate."""
    cert, _ = identity()
    return pkcs7.PKCS7EnvelopeBuilder().set_data(entity).add_recipient(cert).encrypt(serialization.Encoding.DER, [])


def pkcs7_part(der: bytes, smime_type: str, subtype: str = "pkcs7-mime") -> EmailMessage:
    """A MIME part holding a CMS structure as clients write it (base64, smime.p7m)."""
    part = EmailMessage()
    part.set_content(der, maintype="application", subtype=subtype, filename="smime.p7m")
    part.set_param("smime-type", smime_type)
    return part


def opaque(der: bytes, smime_type: str, subject: str = "Réponse signée", subtype: str = "pkcs7-mime") -> bytes:
    """A whole e-mail whose content is one CMS structure (the opaque form of S/MIME)."""
    message = EmailMessage()
    message["From"] = "CAF <sophie@caf.example.fr>"
    message["To"] = "cohesion@cua.example.fr"
    message["Subject"] = subject
    message.set_content(der, maintype="application", subtype=subtype, filename="smime.p7m")
    message.set_param("smime-type", smime_type)
    return bytes(message)


def opaque_signed(form: bytes | None) -> bytes:
    return opaque(signed_der(content(form)), "signed-data")


def encrypted(form: bytes | None) -> bytes:
    return opaque(enveloped_der(content(form)), "enveloped-data", "Réponse chiffrée")


def signed_then_encrypted(form: bytes) -> bytes:
    """What Outlook sends when both are ticked: the signed entity, encrypted."""
    inner = pkcs7_part(signed_der(content(form)), "signed-data")
    return encrypted_entity(inner.as_bytes(policy=policy.SMTP))


def encrypted_entity(entity: bytes) -> bytes:
    return opaque(enveloped_der(entity), "enveloped-data", "Réponse chiffrée")


def openssl_signed(form: bytes, folder: Path) -> bytes:
    """An opaque signed mail written by `openssl smime -sign -nodetach -stream` (BER, indefinite lengths)."""
    assert OPENSSL is not None
    cert, key = identity()
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "entity.eml").write_bytes(content(form))
    command = [OPENSSL, "smime", "-sign", "-nodetach", "-stream", "-binary", "-in", str(folder / "entity.eml")]
    command += ["-signer", str(folder / "cert.pem"), "-inkey", str(folder / "key.pem")]
    command += ["-from", "sophie@caf.example.fr", "-to", "cohesion@cua.example.fr", "-subject", "Reponse signee"]
    return subprocess.run(command, check=True, capture_output=True, timeout=60).stdout


def detached_around(part: EmailMessage) -> bytes:
    """A multipart/signed mail (detached signature, not checked by the tool) around this part."""
    outer = EmailMessage()
    outer["From"] = "CAF <sophie@caf.example.fr>"
    outer["Subject"] = "Réponse signée deux fois"
    outer.set_type("multipart/signed")
    outer.set_param("protocol", "application/pkcs7-signature")
    outer.attach(part)
    signature = EmailMessage()
    signature.set_content(b"\x30\x80", maintype="application", subtype="pkcs7-signature", filename="smime.p7s")
    outer.attach(signature)
    return bytes(outer)
