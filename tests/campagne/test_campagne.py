"""The partner loop on the demo: a campaign opened, forms pre-filled with the last validated answers
coming back field for field, the directory, working-day deadlines, the default campaign."""

from __future__ import annotations

import datetime as dt
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from workflow.campagne import annuaire, campagnes, jours
from workflow.cli import app
from workflow.demo.remplir import set_text
from workflow.demo.run import run_demo
from workflow.errors import CdvError
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.ooxml.blocks import sdt_tag
from workflow.ooxml.ns import W_SDT
from workflow.registry.db import Registry
from workflow.registry.export import association_dict, questionnaire_dict
from workflow.registry.models import Contact, Soumission
from workflow.registry.queries import Selection, associations, questionnaires
from workflow.workspace import Workspace

TODAY = dt.date.today()
ECHEANCE = jours.ouvre_suivant(TODAY + dt.timedelta(days=20))
YEAR = TODAY.year
META = {"campagne", "version", "courant", "alertes", "source", "revue", "statut_revue", "corrections", "notes"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    run_demo(root, lambda _line: None)
    return root


@pytest.fixture
def ws(demo, tmp_path) -> Workspace:
    root = tmp_path / "espace"
    shutil.copytree(demo, root)
    return Workspace.resolve(root)


@pytest.fixture
def reg(ws):
    registry = Registry(ws.database_url())
    yield registry
    registry.close()


def _ingest(ws: Workspace, reg: Registry, form: Path) -> int:
    arrived = ws.inbox / form.name
    shutil.copy(form, arrived)
    result = ingest(ws, reg, Arrivee(arrived, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE, result
    assert result.soumission_id is not None
    return result.soumission_id


def _diff(before: dict, after: dict) -> dict:
    paths: dict = {}
    for key in before.keys() - META:
        _walk(key, before[key], after.get(key), paths)
    return paths


def _walk(path: str, a, b, out: dict) -> None:
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(f"{path}[{i}]", x, y, out)
    elif isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            _walk(f"{path}.{k}", a[k], b.get(k), out)
    elif a != b:
        out[path] = (a, b)


def _versions(reg: Registry, nom: str) -> list[dict]:
    with reg.session() as session:
        return [
            questionnaire_dict(v) for v in questionnaires(session, Selection.HISTORIQUE) if v.organisation.nom == nom
        ]


def _edit(form: Path, output: Path, values: dict[str, str]) -> Path:
    """Change the first control of each tag, as a partner typing in Word would."""
    document = docx.Document(str(form))
    for tag, text in values.items():
        sdt = next(s for s in document.element.body.iter(W_SDT) if sdt_tag(s) == tag)
        set_text(sdt, text)
    document.save(str(output))
    return output


def test_a_pre_filled_form_sent_back_unchanged_gives_the_validated_answer_field_for_field(ws, reg):
    envois = campagnes.ouvrir(ws, reg, YEAR, ECHEANCE)
    arras = next(e for e in envois if e.partenaire.nom == "Ville d'Arras")
    assert arras.prerempli and arras.formulaire.exists()
    _ingest(ws, reg, arras.formulaire)
    before, after = _versions(reg, "Ville d'Arras")[-2:]
    assert after["campagne"] == YEAR and before["campagne"] < YEAR
    assert _diff(before, after) == {}


def test_changing_two_fields_of_a_pre_filled_form_gives_a_diff_of_exactly_those_two(ws, reg):
    envois = campagnes.ouvrir(ws, reg, YEAR, ECHEANCE)
    arras = next(e for e in envois if e.partenaire.nom == "Ville d'Arras")
    edited = _edit(
        arras.formulaire,
        ws.root / "arras_modifie.docx",
        {"referent_fonction": "Directrice de la cohésion sociale", "intitule": "Programme de réussite éducative"},
    )
    _ingest(ws, reg, edited)
    before, after = _versions(reg, "Ville d'Arras")[-2:]
    assert set(_diff(before, after)) == {"referent_fonction", "interventions_structurantes[0].intitule"}


def test_association_forms_come_back_unchanged_too(ws, reg):
    envois = campagnes.ouvrir(ws, reg, YEAR, ECHEANCE)
    afeji = next(e for e in envois if e.partenaire.nom == "AFEJI Artois")
    assert afeji.prerempli
    _ingest(ws, reg, afeji.formulaire)
    with reg.session() as session:
        found = [
            association_dict(v)
            for v in associations(session, Selection.HISTORIQUE)
            if v.organisation.nom == "AFEJI Artois"
        ]
    assert len(found) == 2 and _diff(found[0], found[1]) == {}


def test_the_campaign_expects_signatories_and_programmed_associations_and_drafts_a_covering_letter(ws, reg):
    envois = campagnes.ouvrir(ws, reg, YEAR, ECHEANCE, ["Atelier couture des Hochettes"])
    kinds = {e.partenaire.type for e in envois}
    names = [e.partenaire.nom for e in envois]
    assert kinds == {"signataire", "association"} and "Atelier couture des Hochettes" in names
    assert names.count("BGE Hauts-de-France") == 1  # a signatory with funded actions is expected once
    message = BytesParser(policy=policy.default).parsebytes(
        next(e for e in envois if e.partenaire.nom == "Ville d'Arras").courriel.read_bytes()
    )
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert message["To"] == "jm.dupuis@ville-arras.example.fr"
    assert body.startswith("Bonjour Jean-Marc DUPUIS,")
    assert "le questionnaire d'engagement de la Ville d'Arras" in body
    assert f"avant le {ECHEANCE:%d/%m/%Y}" in body and "cohesion.sociale@cu-arras.fr" in body
    assert [a.get_filename() for a in message.iter_attachments()] == ["questionnaire_ville_d_arras.docx"]
    pdc = next(e for e in envois if e.partenaire.nom == "Pas-de-Calais Habitat")
    assert not pdc.prerempli and pdc.adresse.courriel == ""  # its only answer is not validated
    assert BytesParser(policy=policy.default).parsebytes(pdc.courriel.read_bytes())["To"] is None
    with pytest.raises(CdvError, match="déjà ouverte"):
        campagnes.ouvrir(ws, reg, YEAR, ECHEANCE)


def test_the_deadline_is_a_french_working_day_after_today(ws, reg):
    for day in (TODAY, dt.date(YEAR + 1, 5, 1), dt.date(YEAR + 1, 7, 14)):
        with pytest.raises(CdvError):
            campagnes.ouvrir(ws, reg, YEAR + 1, day)
    sunday = jours.ouvre_suivant(TODAY + dt.timedelta(days=30))
    sunday += dt.timedelta(days=6 - sunday.weekday())
    with pytest.raises(CdvError, match="dimanche"):
        campagnes.verifier_echeance(sunday, TODAY)
    assert jours.ferie(dt.date(2026, 5, 14)) == "Ascension"
    assert jours.ouvre_suivant(dt.date(2026, 5, 1)) == dt.date(2026, 5, 4)
    assert jours.echeance_relance(TODAY, TODAY) > TODAY


def test_the_state_of_a_campaign_counts_each_expected_partner(ws, reg):
    campagnes.ouvrir(ws, reg, YEAR, ECHEANCE)
    result = CliRunner().invoke(app, ["--racine", str(ws.root), "campagne", "etat"])
    assert result.exit_code == 0, result.output
    with reg.session() as session:
        counts = campagnes.comptes(campagnes.situations(session, YEAR))
    assert counts["attendus"] == counts["reçus"] + counts["sans réponse"]
    assert f"attendus : {counts['attendus']}" in result.output


def test_every_command_defaults_to_the_open_campaign_or_the_current_year(ws, reg):
    with reg.session() as session:
        assert campagnes.par_defaut(session) == YEAR
    out = ws.root / "vierge.docx"
    result = CliRunner().invoke(
        app, ["--racine", str(ws.root), "formulaire", "questionnaire", "--organisme", "CAF", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"campagne {YEAR}" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    campagnes.ouvrir(ws, reg, YEAR + 1, jours.ouvre_suivant(dt.date(YEAR + 1, 3, 16)))
    with reg.session() as session:
        assert campagnes.par_defaut(session) == YEAR + 1


def test_the_directory_comes_from_validated_answers_and_never_uses_a_flagged_address(ws, reg):
    ref = ws.referentiel
    with reg.session() as session:
        annuaire.rafraichir(session, ref)
        arras = annuaire.partenaire(ref, "Ville d'Arras")
        assert annuaire.adresse(session, arras.cle).courriel == "jm.dupuis@ville-arras.example.fr"
        pdc = annuaire.partenaire(ref, "Pas-de-Calais Habitat")
        assert annuaire.referent(session, pdc.cle) is None  # not validated: not in the directory
        flagged = session.query(Soumission).filter(Soumission.fichier.like("%pas_de_calais_habitat%")).one()
        session.add(
            Contact(
                cle=pdc.cle, organisme=pdc.nom, rang=0, nom="Nadia LEROY", courriel="nadia.leroy@pdc.example.fr",
                source="réponse", soumission_id=flagged.id, le=dt.datetime.now(dt.UTC),
            )
        )  # fmt: skip
        session.flush()
        assert "signalée invalide" in annuaire.adresse(session, pdc.cle).motif
    runner = CliRunner()
    refused = runner.invoke(
        app, ["--racine", str(ws.root), "annuaire", "modifier", "Pas-de-Calais Habitat", "--courriel", "nadia pdc"]
    )
    assert refused.exit_code != 0
    done = runner.invoke(
        app,
        ["--racine", str(ws.root), "annuaire", "modifier", "PDC Habitat", "--courriel", "nadia.leroy@pdc-habitat.fr"],
    )
    assert done.exit_code == 0, done.output
    with reg.session() as session:
        usable = annuaire.adresse(session, pdc.cle)
        assert usable.courriel == "nadia.leroy@pdc-habitat.fr" and usable.contact.source == "saisie"  # type: ignore[union-attr]
    listed = runner.invoke(app, ["--racine", str(ws.root), "annuaire", "liste"])
    assert listed.exit_code == 0, listed.output


def test_partner_names_carry_their_article_as_reference_data(ws):
    ref = ws.referentiel
    by_id = {s.id: s for s in ref.signataires.signataires}
    assert by_id["arras"].avec_article() == "la Ville d'Arras"
    assert by_id["departement"].avec_article() == "le Département du Pas-de-Calais"
    assert by_id["ars"].avec_article(court=True) == "l'ARS"
    assert by_id["departement"].complement() == "du Département du Pas-de-Calais"
    assert by_id["bge"].complement() == "de BGE Hauts-de-France"
    assert annuaire.partenaire(ref, "AFEJI Artois", "association").complement == "de l'association AFEJI Artois"
