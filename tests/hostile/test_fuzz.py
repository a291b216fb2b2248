"""Fuzzing, bounded in time: the sniffer, the e-mail reader (opaque S/MIME included) and the docx
reader either answer or refuse with `Illisible`; no other exception escapes, whatever the bytes."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import fill_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from smime_mail import opaque as _opaque
from smime_mail import signed_der as _signed_der

from workflow.parsers import Illisible
from workflow.parsers.docx import read_docx
from workflow.parsers.mail import read_eml
from workflow.parsers.smime import open_pkcs7
from workflow.parsers.sniff import sniff
from workflow.render.formulaire import questionnaire_form
from workflow.workspace import init_workspace

BOUNDED = settings(
    max_examples=int(os.environ.get("CDV_FUZZ_EXEMPLES", "300")),
    deadline=None,
    database=None,  # nothing written in the checkout
    derandomize=True,  # the same inputs in CI and here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_FOLDER = Path(tempfile.mkdtemp(prefix="cdv-fuzz-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
set_hypothesis_home_dir(str(_FOLDER / "hypothesis"))  # its caches too stay out of the checkout


def _form() -> bytes:
    workspace = init_workspace(_FOLDER / "espace")
    blank = questionnaire_form(workspace, "CAF", 2024, _FOLDER / "vierge.docx")
    return fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie"}, _FOLDER / "rempli.docx").read_bytes()


FORM = _form()
with zipfile.ZipFile(io.BytesIO(FORM)) as _archive:
    PARTS = {name: _archive.read(name) for name in _archive.namelist()}
MAIL = (
    b"From: =?utf-8?q?Sophie_=C3=A9?= <s@caf.fr>\r\nSubject: =?shift_jis?B?gqCCoA==?=\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
    b'corps\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="r.docx"'
    b"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBAo=\r\n--b--\r\n"
)


def _write(data: bytes) -> Path:
    path = _FOLDER / "essai"
    path.write_bytes(data)
    return path


def _form_mutated(flips: list[tuple[int, int]], cut: int | None) -> bytes:
    return _mutated(FORM, flips, cut)


def _mail_mutated(flips: list[tuple[int, int]], cut: int | None) -> bytes:
    return _mutated(MAIL, flips, cut)


def _mutated(base: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(base)
    for at, value in flips:
        data[at % len(data)] = value
    return bytes(data[:cut] if cut else data)


mutations = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12)


@pytest.mark.timeout(120)
@BOUNDED
@given(st.binary(max_size=4096) | st.builds(_form_mutated, mutations, st.none() | st.integers(1, 4096)))
def test_the_sniffer_names_a_type_for_any_bytes(data):
    assert sniff(_write(data)) is not None


@pytest.mark.timeout(120)
@BOUNDED
@given(st.builds(_mail_mutated, mutations, st.none() | st.integers(1, len(MAIL))) | st.binary(max_size=2048))
def test_the_email_reader_answers_or_refuses_in_french(data):
    try:
        read_eml(_write(data))
    except Illisible as e:
        assert e.detail


@pytest.mark.timeout(180)
@BOUNDED
@given(
    st.sampled_from(["word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels"]),
    mutations,
    st.none() | st.integers(1, 5000),
)
def test_the_docx_reader_answers_or_refuses_in_french(part, flips, cut):
    files = {**PARTS, part: _mutated(PARTS[part], flips, cut)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    try:
        read_docx(_write(out.getvalue()))
    except Illisible as e:
        assert e.detail


@pytest.mark.timeout(120)
@BOUNDED
@given(st.builds(_form_mutated, mutations, st.none() | st.integers(1, 1 << 16)))
def test_the_docx_reader_takes_damaged_archives(data):
    try:
        read_docx(_write(data))
    except Illisible as e:
        assert e.detail


SIGNED = _signed_der(b"Content-Type: text/plain\r\n\r\ncorps\r\n")
OPAQUE = _opaque(SIGNED, "signed-data")


@pytest.mark.timeout(120)
@BOUNDED
@given(
    st.builds(_mutated, st.just(SIGNED), mutations, st.none() | st.integers(1, len(SIGNED))) | st.binary(max_size=2048)
)
def test_an_smime_structure_is_opened_or_called_unreadable_never_raising(data):
    enveloppe = open_pkcs7(data)
    assert enveloppe.type and (enveloppe.contenu is None or isinstance(enveloppe.contenu, bytes))


@pytest.mark.timeout(120)
@BOUNDED
@given(st.builds(_mutated, st.just(OPAQUE), mutations, st.none() | st.integers(1, len(OPAQUE))))
def test_an_opaque_signed_mail_is_read_or_refused_in_french(data):
    try:
        read_eml(_write(data))
    except Illisible as e:
        assert e.detail
