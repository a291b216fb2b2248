"""The .docx package loader reads exactly what python-docx reads, and leaves to python-docx (its
refusals included) every package it cannot take the same way."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from docx.opc.part import PartFactory, XmlPart

from workflow.ooxml import package
from workflow.parsers import docx as reader
from workflow.parsers.base import Illisible
from workflow.render.formulaire import questionnaire_form

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCX = sorted(FIXTURES.rglob("*.docx"))


def _read(path: Path, loader: bool) -> object:
    """What the reader makes of a file, with the package loader or with python-docx alone."""
    try:
        if loader:
            found = reader.read_docx(path)
        else:
            original, reader.open_package = reader.open_package, lambda archive: None
            try:
                found = reader.read_docx(path)
            finally:
                reader.open_package = original
    except Illisible as e:
        return ("refusé", e.motif, e.detail)
    controls = [(c.tag, c.kind, c.text, c.checked) for c in found.controls]
    return found.units, controls, found.sujet


def test_the_xml_parts_are_those_python_docx_parses():
    parsed = {t for t, cls in PartFactory.part_type_for.items() if issubclass(cls, XmlPart)}
    assert parsed == package.XML_PARTS


@pytest.mark.parametrize("path", DOCX, ids=[str(p.relative_to(FIXTURES)) for p in DOCX])
def test_every_fixture_reads_as_python_docx_reads_it(path):
    assert _read(path, loader=True) == _read(path, loader=False)


def _parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _variant(tmp_path: Path, parts: dict[str, bytes], name: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    target = tmp_path / name
    target.write_bytes(buffer.getvalue())
    return target


@pytest.fixture
def form(workspace, tmp_path) -> Path:
    return questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")


def _loaded(path: Path) -> package.Paquet | None:
    with zipfile.ZipFile(path) as archive:
        return package.open_package(archive)


def test_our_form_is_read_by_the_loader_with_its_marker(form):
    found = _loaded(form)
    assert found is not None and found.identifier.startswith("cdv:questionnaire:")
    assert [name for name, _ in found.stories] == ["/word/footer1.xml"]


def _with_rels(parts: dict[str, bytes], old: bytes, new: bytes) -> dict[str, bytes]:
    rels = "word/_rels/document.xml.rels"
    assert old in parts[rels]
    return {**parts, rels: parts[rels].replace(old, new, 1)}


@pytest.mark.parametrize(
    "name, change",
    [
        ("styles_mal_formes.docx", lambda p: {**p, "word/styles.xml": p["word/styles.xml"][:-40]}),
        ("sans_proprietes.docx", lambda p: {k: v for k, v in p.items() if k != "docProps/core.xml"}),
        ("sans_types.docx", lambda p: {k: v for k, v in p.items() if k != "[Content_Types].xml"}),
        ("pied_absent.docx", lambda p: {k: v for k, v in p.items() if k != "word/footer1.xml"}),
        ("identifiant_double.docx", lambda p: _with_rels(p, b'Id="rId2"', b'Id="rId3"')),
    ],
)
def test_a_package_the_loader_does_not_take_is_left_to_python_docx(form, tmp_path, name, change):
    variant = _variant(tmp_path, change(_parts(form)), name)
    assert _loaded(variant) is None
    assert _read(variant, loader=True) == _read(variant, loader=False)


def test_identical_parts_are_checked_once_and_a_damaged_one_still_refuses_the_file(form, tmp_path):
    parts = _parts(form)
    assert _loaded(form) is not None  # its styles read and found well-formed, remembered as stored
    broken = _variant(tmp_path, {**parts, "word/styles.xml": parts["word/styles.xml"] + b"<w:style>"}, "x.docx")
    assert _read(broken, loader=True) == _read(broken, loader=False) == _read(broken, loader=True)
    assert _read(broken, loader=True)[0] == "refusé"


def test_a_part_damaged_where_it_is_stored_refuses_the_file_as_python_docx_does(form, tmp_path):
    assert _loaded(form) is not None
    data = bytearray(form.read_bytes())
    with zipfile.ZipFile(form) as archive:
        info = archive.getinfo("word/styles.xml")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF  # the directory unchanged, the bytes not
    damaged = tmp_path / "abime.docx"
    damaged.write_bytes(bytes(data))
    assert _loaded(damaged) is None
    assert _read(damaged, loader=True) == _read(damaged, loader=False)
    assert _read(damaged, loader=True)[0] == "refusé"
