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

from workflow.campagne import annuaire, campagnes, courriers, jours
from workflow.cli import app
from workflow.demo.remplir import set_text
from workflow.demo.run import exemples
from workflow.errors import CdvError
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.ooxml.blocks import sdt_tag
from workflow.ooxml.ns import W_SDT
from workflow.registry.db import Registry
from workflow.registry.export import association_dict, questionnaire_dict
from workflow.registry.models import Contact, Soumission
from workflow.registry.queries import Selection, associations, questionnaires
from workflow.review import journal
from workflow.review.status import Action
from workflow.workspace import Workspace

TODAY = dt.date.today()
ECHEANCE = jours.ouvre_suivant(TODAY + dt.timedelta(days=20))
YEAR = max(int(a["campagne"]) for a in exemples())  # the campaign the demo opens (2026): that of its latest answers
META = {"campagne", "version", "courant", "alertes", "source", "revue", "statut_revue", "corrections", "notes"}


@pytest.fixture
def ws(demo_model, tmp_path) -> Workspace:
    root = tmp_path / "espace"
    shutil.copytree(demo_model, root)
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
    for key in sorted((before.keys() | after.keys()) - META):
        _walk(key, before.get(key), after.get(key), paths)
    return paths


def _walk(path: str, a, b, out: dict) -> None:
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(f"{path}[{i}]", x, y, out)
    elif isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(a.keys() | b.keys()):
            _walk(f"{path}.{k}", a.get(k), b.get(k), out)
    elif a != b:
        out[path] = (a, b)


def _versions(reg: Registry, nom: str) -> list[dict]:
    with reg.session() as session:
        return [
            questionnaire_dict(v) for v in questionnaires(session, Selection.HISTORIQUE) if v.organisation.nom == nom
        ]


def _form(ws: Workspace, nom: str, kind: str = "questionnaire") -> Path:
    """Return the pre-filled form the demo's campaign wrote for a partner."""
    return campagnes.dossier(ws, YEAR) / "formulaires" / f"{kind}_{courriers.slug(nom)}.docx"


def _edit(form: Path, output: Path, values: dict[str, str]) -> Path:
    """Change the first control of each tag, as a partner typing in Word would."""
    document = docx.Document(str(form))
    for tag, text in values.items():
        sdt = next(s for s in document.element.body.iter(W_SDT) if sdt_tag(s) == tag)
        set_text(sdt, text)
    document.save(str(output))
    return output


def test_a_pre_filled_form_sent_back_unchanged_gives_the_validated_answer_field_for_field(ws, reg):
    with reg.session() as session:
        assert campagnes.trouver(session, YEAR).echeance > TODAY  # opened by the demo
    _ingest(ws, reg, _form(ws, "Ville d'Arras"))
    before, after = _versions(reg, "Ville d'Arras")[-2:]
    assert after["campagne"] == YEAR and before["campagne"] < YEAR
    assert before["revue"]["statut"] == "validee" and after["revue"]["statut"] == "a_verifier"
    assert _diff(before, after) == {}
    assert len([k for k in before if k not in META]) > 5  # the comparison is over the answers themselves


def test_changing_two_fields_of_a_pre_filled_form_gives_a_diff_of_exactly_those_two(ws, reg):
    edited = _edit(
        _form(ws, "Ville d'Arras"),
        ws.root / "arras_modifie.docx",
        {"referent_fonction": "Directrice de la cohésion sociale", "intitule": "Programme de réussite éducative"},
    )
    _ingest(ws, reg, edited)
    before, after = _versions(reg, "Ville d'Arras")[-2:]
    assert before["revue"]["statut"] == "validee"
    assert _diff(before, after) == {
        "referent_fonction": (before["referent_fonction"], "Directrice de la cohésion sociale"),
        "interventions_structurantes[0].intitule": (
            before["interventions_structurantes"][0]["intitule"],
            "Programme de réussite éducative",
        ),
    }


def test_association_forms_come_back_unchanged_too(ws, reg):
    _ingest(ws, reg, _form(ws, "AFEJI Artois", "fiche"))
    with reg.session() as session:
        found = [
            association_dict(v)
            for v in associations(session, Selection.HISTORIQUE)
            if v.organisation.nom == "AFEJI Artois"
        ]
    assert len(found) == 2 and _diff(found[0], found[1]) == {}


def test_the_campaign_expects_signatories_and_programmed_associations_and_drafts_a_covering_letter(ws, reg):
    with reg.session() as session:
        opened = campagnes.trouver(session, YEAR)
        echeance = opened.echeance
        expected = [(a.nom, a.type, a.origine) for a in opened.attendus]
    names = [nom for nom, _, _ in expected]
    assert {kind for _, kind, _ in expected} == {"signataire", "association"}
    assert "programmation" in {origine for _, _, origine in expected}
    assert names.count("BGE Hauts-de-France") == 1  # a signatory with funded actions is expected once
    mails = campagnes.dossier(ws, YEAR) / "courriels"
    message = BytesParser(policy=policy.default).parsebytes((mails / "questionnaire_ville_d_arras.eml").read_bytes())
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert message["To"] == "jm.dupuis@ville-arras.example.fr"
    assert body.startswith("Bonjour Jean-Marc DUPUIS,")
    assert "le questionnaire d'engagement de la Ville d'Arras" in body and "reprend vos réponses validées" in body
    assert f"avant le {echeance:%d/%m/%Y}" in body and "cohesion.sociale@cu-arras.fr" in body
    assert [a.get_filename() for a in message.iter_attachments()] == ["questionnaire_ville_d_arras.docx"]
    pdc = BytesParser(policy=policy.default).parsebytes(
        (mails / "questionnaire_pas_de_calais_habitat.eml").read_bytes()
    )
    assert pdc["To"] is None  # its only answer is not validated: no address to use
    assert "directement dans les zones prévues" in pdc.get_body(preferencelist=("plain",)).get_content()
    caf = BytesParser(policy=policy.default).parsebytes(
        (mails / "questionnaire_caisse_d_allocations_familiales_du_pas_de_calais.eml").read_bytes()
    )  # its 2026 answer is validated already: it need only write again if something changed
    assert "que si vos engagements ont changé" in caf.get_body(preferencelist=("plain",)).get_content()
    envois = campagnes.ouvrir(ws, reg, YEAR + 1, ECHEANCE, ["Atelier couture des Hochettes"])
    listed = next(e for e in envois if e.partenaire.nom == "Atelier couture des Hochettes")
    assert listed.partenaire.type == "association" and listed.formulaire.is_file() and not listed.prerempli
    with pytest.raises(CdvError, match="déjà ouverte"):
        campagnes.ouvrir(ws, reg, YEAR + 1, ECHEANCE)


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
    result = CliRunner().invoke(app, ["--racine", str(ws.root), "campagne", "etat"])
    assert result.exit_code == 0, result.output
    with reg.session() as session:
        counts = campagnes.comptes(campagnes.situations(session, YEAR))
    assert counts["attendus"] == counts["reçus"] + counts["sans réponse"]
    assert counts["reçus"] == counts["validés"] == 2  # the demo's two 2026 answers (CAF, France Travail)
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


def test_a_contact_changed_on_the_command_line_is_journaled_and_keeps_the_fields_not_given(ws, reg):
    root = ["--racine", str(ws.root)]
    courriel = "s.martin@ville-arras.example.fr"
    done = CliRunner().invoke(
        app,
        [*root, "annuaire", "modifier", "Ville d'Arras", "--fonction", "Directrice", "--courriel", courriel,
         "--motif", "appel du 2 décembre"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    with reg.session() as session:
        found = [e for e in journal.entries(session) if e.action == Action.CONTACT]
        contact = annuaire.referent(session, annuaire.partenaire(ws.referentiel, "Ville d'Arras").cle)
        assert contact is not None and contact.nom == "Jean-Marc DUPUIS"  # read from its answer, not lost
        assert {(e.champ, e.avant, e.apres) for e in found} == {
            ("fonction", "Chef de projet politique de la ville", "Directrice"),
            ("courriel", "jm.dupuis@ville-arras.example.fr", courriel),
        }
        assert {(e.par, e.organisme, e.motif) for e in found} == {
            ("equipe.demo", "Ville d'Arras", "appel du 2 décembre")
        }
        assert all(dt.datetime.now(dt.UTC) - annuaire._aware(e.le) < dt.timedelta(minutes=5) for e in found)
    shown = CliRunner().invoke(app, [*root, "journal", "--organisme", "Arras"])
    assert shown.exit_code == 0 and "Aucune action" not in shown.output


def test_partner_names_carry_their_article_as_reference_data(ws):
    ref = ws.referentiel
    by_id = {s.id: s for s in ref.signataires.signataires}
    assert by_id["arras"].avec_article() == "la Ville d'Arras"
    assert by_id["departement"].avec_article() == "le Département du Pas-de-Calais"
    assert by_id["ars"].avec_article(court=True) == "l'ARS"
    assert by_id["departement"].complement() == "du Département du Pas-de-Calais"
    assert by_id["bge"].complement() == "de BGE Hauts-de-France"
    assert annuaire.partenaire(ref, "AFEJI Artois", "association").complement == "de l'association AFEJI Artois"
