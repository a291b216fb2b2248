"""A pre-filled form returned with its answers annotated between brackets reads as amended."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from workflow.extract.amendments import with_amendments
from workflow.intake.document import analyse_here
from workflow.parsers.base import Contenu, Unit
from workflow.parsers.sniff import sniff
from workflow.referentiel import load_referentiel

REF = load_referentiel(Path(__file__).resolve().parents[2] / "registry" / "referentiel")


def _texts(*lines: str, listed: bool = False) -> list[str]:
    units = tuple(
        Unit(t, f"paragraphe {n}", is_list=listed and not t.startswith("Question")) for n, t in enumerate(lines)
    )
    return [u.text for u in with_amendments(Contenu(units)).units]


def test_each_annotation_keeps_strikes_replaces_or_adds_its_element_and_a_remark_alone_goes():
    assert _texts(
        "Courriel : v.dhainaut@pdc-habitat.fr [remplacer par : a.lesage@pdc-habitat.fr]",
        "Téléphone : 03 21 60 48 10 [supprimer (ligne fermée)]",
        "Organisme : Pas-de-Calais Habitat [OK]",
        "[Fiche relue par la direction territoriale le 09/02/2026]",
    ) == ["Courriel : a.lesage@pdc-habitat.fr", "Téléphone :", "Organisme : Pas-de-Calais Habitat"]
    assert _texts(
        "Quatre As [OK]",
        "Bonnettes - St Pol - Baudimont [supprimer (patrimoine cédé)]",
        "Mme Valérie DHAINAUT, chargée [remplacer par : M. Antoine LESAGE, responsable DSU (mêmes instances)]",
        "[ajout : Chanteclair - Cévennes]",
        listed=True,
    ) == ["Quatre As", "M. Antoine LESAGE, responsable DSU", "Chanteclair - Cévennes"]


def test_a_pdf_s_wrapped_elements_and_annotations_are_amended_whole_and_one_bracket_is_only_a_remark():
    units = (
        Unit("Réhabilitation de la résidence : 240 logements.", "ligne 1", is_list=True),
        Unit("[supprimer (opération livrée)]", "ligne 2"),
        Unit("la gestion de proximité ; [OK] l'abattement de TFPB ; [OK]", "ligne 3", is_list=True),
        Unit("4A : Adapter les logements [remplacer par : 4C : Accompagner", "ligne 4", is_list=True),
        Unit("les habitants aux usages]", "ligne 5"),
    )
    assert [u.text for u in with_amendments(Contenu(units)).units] == [
        "la gestion de proximité ;\nl'abattement de TFPB ;",
        "4C : Accompagner les habitants aux usages",
    ]
    alone = Contenu((Unit("Quatre As [à confirmer]", "ligne 1"), Unit("[OK]", "ligne 2")))
    assert with_amendments(alone) == alone


def test_a_questionnaire_returned_annotated_is_read_as_the_partner_amended_it(tmp_path):
    document = docx.Document()
    for line in [
        "Organisme : Pas-de-Calais Habitat [OK]",
        "Référent de la fiche : Mme Valérie DHAINAUT, chargée de mission [remplacer par : M. Antoine LESAGE, "
        "responsable du développement social urbain (Mme DHAINAUT a quitté l'office)]",
        "Téléphone : 03 21 60 48 10 [supprimer]",
        "Quels quartiers du territoire sont visés par vos engagements ?",
        "Bonnettes - St Pol - Baudimont [supprimer (patrimoine cédé)]",
        "Quatre As [OK]",
        "[ajout : Chanteclair - Cévennes]",
        "Quels agents mobiliserez-vous dans les instances de gouvernance ?",
        "M. Jean-Luc DELANNOY, directeur territorial [OK]",
        "Quels engagements prévoyez-vous sur la période 2024-2030 ?",
        "Maintien de la gestion urbaine de proximité. [OK]",
        "Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ?",
        "Quartier apaisé – OS 6 – 6A [supprimer]",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "fiche_annotee.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, dt.datetime(2026, 3, 1, tzinfo=dt.UTC)).formulaire
    assert q.referent_nom == "Antoine LESAGE"
    assert q.referent_fonction == "responsable du développement social urbain"
    assert q.referent_telephone == ""
    assert q.quartiers == ("quatre-as", "chanteclair-cevennes")
    assert [(a.nom, a.fonction) for a in q.agents] == [("Jean-Luc DELANNOY", "directeur territorial")]
    assert q.engagements == "Maintien de la gestion urbaine de proximité." and q.objectifs == ()
