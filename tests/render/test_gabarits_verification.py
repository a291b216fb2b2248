"""`cdv gabarits verifier`: the shipped gabarits pass; copies edited as staff might are caught, in French."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import NS, W
from docxtpl import DocxTemplate
from lxml import etree
from support import cdv

from workflow.evaluation import rapport
from workflow.render import annexe, chartes, formulaire, objectifs, retours
from workflow.render.verification import SUPPLIED, Finding, gabarit_files, verify_file
from workflow.workspace import repository_root

SHIPPED = repository_root() / "gabarits"
TODAY = dt.date(2026, 3, 14)


def edited(tmp_path: Path, name: str, edit: Callable[[Any], None]) -> Path:
    """A copy of a shipped gabarit whose word/document.xml went through `edit`, as Word would save it."""
    copy = tmp_path / name
    with zipfile.ZipFile(SHIPPED / name) as zin:
        parts = {item: zin.read(item) for item in zin.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    edit(root)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for item, data in parts.items():
            zout.writestr(item, data)
    return copy


def retype(old: str, new: str) -> Callable[[Any], None]:
    def edit(root: Any) -> None:
        runs = [t for t in root.iter(f"{{{W}}}t") if t.text and old in t.text]
        assert runs, f"« {old} » absent du gabarit"
        runs[0].text = runs[0].text.replace(old, new, 1)

    return edit


def paragraph_holding(path: Path, text: str) -> int:
    """The number, counted from 1 in document order, of the first paragraph whose text holds `text`."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find("w:body", NS)
    texts = ["".join(p.itertext()) for p in body.iter(f"{{{W}}}p")]
    return next(n for n, t in enumerate(texts, start=1) if text in t)


def paragraph_of_control(path: Path, tag: str) -> int:
    """The paragraph holding a run-level control, or the first inside a block-level one."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find("w:body", NS)
    [sdt] = body.xpath(".//w:sdt[w:sdtPr/w:tag/@w:val = $tag]", namespaces=NS, tag=tag)
    around = next(sdt.iterancestors(f"{{{W}}}p"), None)
    return list(body.iter(f"{{{W}}}p")).index(around if around is not None else next(sdt.iter(f"{{{W}}}p"))) + 1


def controls_tagged(tag: str) -> Callable[[Any], list[Any]]:
    return lambda root: [el for el in root.iter(f"{{{W}}}tag") if el.get(f"{{{W}}}val") == tag]


def test_every_shipped_gabarit_is_declared_and_has_no_fault(workspace):
    shipped = gabarit_files(SHIPPED)
    assert {p.name for p in shipped} == set(SUPPLIED)
    for path in shipped:
        assert verify_file(path, workspace.referentiel) == [], path.name


def test_the_declared_names_are_those_each_render_function_supplies(workspace, registry, tmp_path, monkeypatch):
    ref = workspace.referentiel
    built = {
        annexe.GABARIT: annexe.annexe_context([], ref, TODAY),
        objectifs.GABARIT: objectifs.objectifs_context(ref, {}, TODAY),
        formulaire.GABARIT: formulaire.questionnaire_context(ref, "CAF", 2026, TODAY),
        formulaire.GABARIT_ASSOCIATION: formulaire.association_context(ref, "Léo Lagrange", TODAY),
    }
    captured: dict[str, Any] = {}

    def capture(template: Path, context: Any, output: Path, finish: Any = None, titre: str = "") -> Path:
        captured[template.name] = context(DocxTemplate(str(template))) if callable(context) else context
        return output

    for module in (chartes, retours, rapport):
        monkeypatch.setattr(module, "render_docx", capture)
    monkeypatch.setattr(rapport, "_refuser_annee_vide", lambda *_: None)  # an empty registry: render anyway
    chartes.render_charters(workspace, registry)
    retours.write_retours(workspace.gabarit(retours.GABARIT), tmp_path, 2026, "COPIL du 14 mars", [], [], [])
    rapport.render_evaluation(workspace, registry, 2026, output=tmp_path / "rapport.docx")
    built |= captured
    assert set(built) == set(SUPPLIED)
    for name, context in built.items():
        assert sorted(context) == sorted(SUPPLIED[name]), name


def test_a_misspelt_variable_is_named_with_its_paragraph_and_the_nearest_name(workspace, tmp_path):
    path = edited(tmp_path, "formulaire_questionnaire.docx", retype("{{ precisions_libelle }}", "{{ organisme_nom }}"))
    n = paragraph_holding(path, "organisme_nom")
    message = f"variable inconnue « organisme_nom » dans le paragraphe {n} ; voulez-vous dire « organisme » ?"
    assert verify_file(path, workspace.referentiel) == [Finding("formulaire_questionnaire.docx", n, message)]


def test_a_misspelt_loop_list_inside_a_docxtpl_paragraph_tag_is_found_in_that_paragraph(workspace, tmp_path):
    path = edited(tmp_path, "annexe_objectifs.docx", retype("{%p for am in ambitions %}", "{%p for am in ambition %}"))
    n = paragraph_holding(path, "{%p for am in ambition %}")  # docxtpl drops this paragraph, keeping the tag
    message = f"variable inconnue « ambition » dans le paragraphe {n} ; voulez-vous dire « ambitions » ?"
    assert verify_file(path, workspace.referentiel) == [Finding("annexe_objectifs.docx", n, message)]


def test_a_misspelt_filter_is_named_with_the_nearest_filter(workspace, tmp_path):
    path = edited(tmp_path, "charte_engagement.docx", retype("{{ date_edition }}", "{{ date_edition | uper }}"))
    n = paragraph_holding(path, "| uper")
    message = f"filtre inconnu « uper » dans le paragraphe {n} ; voulez-vous dire « upper » ?"
    assert verify_file(path, workspace.referentiel) == [Finding("charte_engagement.docx", n, message)]


def test_a_file_no_document_uses_or_no_word_file_is_said_so(workspace, tmp_path):
    stray = tmp_path / "modele_perso.docx"
    shutil.copy(SHIPPED / "annexe_objectifs.docx", stray)
    [finding] = verify_file(stray, workspace.referentiel)
    assert finding.message.startswith("aucun document de l'outil n'utilise ce gabarit (noms attendus : annexe_")
    damaged = tmp_path / "charte_engagement.docx"
    damaged.write_text("pas un document Word")
    assert verify_file(damaged, workspace.referentiel) == [
        Finding(damaged.name, None, "fichier illisible : ce n'est pas un document Word (.docx) valide")
    ]


@pytest.mark.parametrize(
    ("old", "new", "culprit", "detail"),
    [
        ("{%p for x in quartiers %}", "{%p for x in %}", "{%p for x in %}", "expression attendue avant « %} »"),
        ("{{ x.nom }}", "{{ x.nom }", "{{ x.nom }", "caractère « } » inattendu"),
        ("{%p endfor %}", "", "{%p for x in quartiers %}", "bloc « for » ouvert ici et jamais fermé"),
    ],
)
def test_a_broken_tag_is_a_syntax_error_in_the_paragraph_that_holds_it(workspace, tmp_path, old, new, culprit, detail):
    path = edited(tmp_path, "formulaire_questionnaire.docx", retype(old, new))
    n = paragraph_holding(path, culprit)
    [finding] = verify_file(path, workspace.referentiel)
    assert finding.paragraph == n
    assert finding.message.startswith(f"syntaxe Jinja incorrecte dans le paragraphe {n} : {detail}")
    assert culprit in finding.message.split(" — texte : « ")[1]


def test_a_row_loop_closed_by_a_paragraph_end_points_at_the_row(workspace, tmp_path):
    path = edited(tmp_path, "annexe_objectifs.docx", retype("{%tr endfor %}", ""))
    n = paragraph_holding(path, "{%tr for oo in os.oo %}")
    [finding] = verify_file(path, workspace.referentiel)
    assert finding.paragraph == n and "bloc « for » ouvert ici et jamais fermé" in finding.message


def test_a_removed_form_tag_is_a_missing_field_and_a_retyped_one_is_unknown(workspace, tmp_path):
    def edit(root: Any) -> None:
        [precisions] = controls_tagged("quartiers_precisions")(root)
        precisions.getparent().remove(precisions)
        [agents] = controls_tagged("agents_gouvernance")(root)
        agents.set(f"{{{W}}}val", "agent_gouvernance")

    path = edited(tmp_path, "formulaire_questionnaire.docx", edit)
    found = verify_file(path, workspace.referentiel)
    missing = "champ attendu absent : aucun contrôle de contenu ne porte la balise"
    n = paragraph_of_control(path, "agent_gouvernance")
    assert Finding("formulaire_questionnaire.docx", None, f"{missing} « quartiers_precisions » (quartiers)") in found
    assert (
        Finding(
            "formulaire_questionnaire.docx", None, f"{missing} « agents_gouvernance » (question « agents_gouvernance »)"
        )
        in found
    )
    unknown = "balise de contrôle de contenu inconnue « agent_gouvernance »"
    hint = "voulez-vous dire « agents_gouvernance » ?"
    assert Finding("formulaire_questionnaire.docx", n, f"{unknown} dans le paragraphe {n} ; {hint}") in found


def test_the_templated_header_tag_stands_for_every_header_field(workspace, tmp_path):
    def edit(root: Any) -> None:
        for tag in controls_tagged("{{ c.id }}")(root):
            tag.getparent().remove(tag)

    path = edited(tmp_path, "formulaire_association.docx", edit)
    found = verify_file(path, workspace.referentiel)
    fields = [f.id for f in workspace.referentiel.association.entete]
    assert [
        f.message.split("« ")[1].split(" »")[0]
        for f in found
        if "(en-tête, contrôle répété « {{ c.id }} » absent)" in f.message
    ] == fields


def test_the_command_checks_every_gabarit_and_fails_in_french_on_a_fault(tmp_path):
    root = tmp_path / "espace"
    assert cdv("--racine", str(root), "init").returncode == 0
    clean = cdv("gabarits", "verifier", "--racine", str(root))
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.strip().splitlines()[-1] == f"{len(SUPPLIED)} gabarits vérifiés : aucune anomalie."
    broken = edited(tmp_path, "charte_engagement.docx", retype("{{ date_edition }}", "{{ date_editon }}"))
    shutil.copy(broken, root / "gabarits" / broken.name)
    run = cdv("gabarits", "verifier", "--racine", str(root))
    assert run.returncode == 1
    n = paragraph_holding(broken, "date_editon")
    lines = run.stdout.strip().splitlines()
    assert (
        f"charte_engagement.docx : variable inconnue « date_editon » dans le paragraphe {n} ; "
        "voulez-vous dire « date_edition » ?"
    ) in lines
    assert "annexe_objectifs.docx : conforme" in lines
    assert lines[-1] == f"{len(SUPPLIED)} gabarits vérifiés : 1 anomalie dans 1 gabarit."
    one = cdv("gabarits", "verifier", "annexe_objectifs.docx", "--racine", str(root))
    assert one.returncode == 0 and one.stdout.strip().splitlines() == [
        "annexe_objectifs.docx : conforme",
        "1 gabarit vérifié : aucune anomalie.",
    ]
