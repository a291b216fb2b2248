"""Association forms: our own form for 8 associations and two free layouts, read back exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from conftest import QPV, fill_association, needs_libreoffice

from workflow.answers import IDENTITE_ASSOCIATION
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.libreoffice import convert_all
from workflow.registry.export import export_data
from workflow.render.formulaire import association_form

NAMES = [
    "Centre social Léo Lagrange",
    "AFEJI Hauts-de-France",
    "Les Petits Débrouillards",
    "Unis-Cité Artois",
    "Secours populaire d'Arras",
    "Maison des jeunes des 4 As",
    "Cœur de femmes & familles",
    "Sport dans la ville",
]
PRESIDENTS = [
    "Odile PRUVOST",
    "Marc LEGRAND",
    "Nadia BENALI",
    "Paul VASSEUR",
    "Claire DUBOIS",
    "Yann MORTIER",
    "Aïcha DIALLO",
    "Luc CARON",
]
REFERENTS = [
    "Julie MARTEL",
    "Karim HADDAD",
    "Sophie LEROUX",
    "Hugo LEFEBVRE",
    "Inès FOURNIER",
    "Théo BRUNET",
    "Lina ROUSSEL",
    "Noé DEVAUX",
]
SIRETS = ["732 829 320 00074", "552 100 554 00021", "130 025 265 00013", "356 000 000 00048"]
AMBITIONS = ["apaise", "plein-emploi", "emancipe", "transitions"]
COMMITMENTS = [
    "tiers-lieu",
    "participation-habitants",
    "egalite-discriminations",
    "indicateurs-bilan",
    "cooperation-acteurs",
]


def association(i: int) -> dict:
    name = NAMES[i]
    return {
        "association_nom": name,
        "sigle": f"A{i}",
        "siret": SIRETS[i % 4],
        "rna": f"W62300{i:04d}",
        "adresse": f"{i + 1} rue de la République",
        "code_postal": "62000",
        "commune": "Arras",
        "representant_legal_nom": PRESIDENTS[i % 8],
        "representant_legal_fonction": "Présidente",
        "referent_nom": REFERENTS[i % 8],
        "referent_fonction": "Coordinateur",
        "referent_courriel": f"contact{i}@asso{i}.example.fr",
        "referent_telephone": f"03 21 0{i} 00 00",
        "quartiers_intervention": QPV[i % 6 : i % 6 + 2],
        "ambitions": AMBITIONS[i % 4 : i % 4 + 1],
        "objectifs": [
            {"ambition": "émancipé", "os": "1", "oo": "1C", "libelle_saisi": "Soutenir et accompagner la parentalité"}
        ],
        "actions": [
            {
                "intitule": f"Action {i}-{k}",
                "description": f"Description de l'action {k}",
                "public_vise": "Familles",
                "beneficiaires_prevus": str(20 * (k + 1)),
                "periode": "Année 2025",
                "cofinancements": [
                    {"financeur": "CAF", "montant": f"{1000 + k} €"},
                    {"financeur": "Ville d'Arras", "montant": "2 500,50 €"},
                ][: k + 1],
            }
            for k in range(1 + i % 3)
        ],
        "engagements": COMMITMENTS[: 2 + i % 4],
        "autres_engagements": "Accueillir des bénévoles du quartier",
        "demande_cpo": "oui" if i % 2 else "non",
        "duree_cpo_annees": "3" if i % 2 else "",
        "indicateurs_suivi": ["Nombre de participants", "Part de femmes"],
        "fait_a": "Arras",
        "date": "15/02/2025",
        "signataire_nom": PRESIDENTS[i % 8],
    }


def expected(a: dict) -> dict:
    """The JSON export expected for the answers `a`."""
    order = {q: n for n, q in enumerate(QPV)}
    return {
        **{
            k: a[k]
            for k in (
                *IDENTITE_ASSOCIATION,
                "autres_engagements",
                "fait_a",
                "date",
                "signataire_nom",
                "indicateurs_suivi",
            )
        },
        "quartiers_intervention": sorted(a["quartiers_intervention"], key=order.get),
        "ambitions": a["ambitions"],
        "objectifs": [
            {"ambition": "emancipe", "os": 1, "oo": "1C", "libelle_saisi": "Soutenir et accompagner la parentalité"}
        ],
        "actions": [
            {
                **{k: x[k] for k in ("intitule", "description", "public_vise", "periode")},
                "beneficiaires_prevus": int(x["beneficiaires_prevus"]),
                "cofinancements": [
                    {
                        "financeur": c["financeur"],
                        "montant": float(c["montant"].replace(" €", "").replace(" ", "").replace(",", ".")),
                    }
                    for c in x["cofinancements"]
                ],
            }
            for x in a["actions"]
        ],
        "engagements": a["engagements"],
        "demande_cpo": a["demande_cpo"] == "oui",
        "duree_cpo_annees": int(a["duree_cpo_annees"]) if a["duree_cpo_annees"] else None,
    }


def _exported(registry) -> dict:
    with registry.session() as session:
        return {a["association_nom"]: a for a in export_data(session)["associations"]}


def _submit(workspace, registry, path: Path):
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE, result.motif
    return result


@pytest.mark.parametrize("i", range(8), ids=lambda i: NAMES[i])
def test_our_form_comes_back_through_the_export(workspace, registry, tmp_path, i):
    a = association(i)
    blank = association_form(workspace, a["association_nom"], tmp_path / "vierge.docx")
    _submit(workspace, registry, fill_association(blank, a, workspace.inbox / "fiche.docx"))
    got = _exported(registry)[a["association_nom"]]
    want = expected(a)
    assert {k: got[k] for k in want} == want
    assert got["alertes"] == []


def test_a_wrong_siret_is_flagged_and_still_recorded(workspace, registry, tmp_path):
    a = {**association(0), "siret": "732 829 320 00075", "rna": "623001234"}
    blank = association_form(workspace, a["association_nom"], tmp_path / "vierge.docx")
    _submit(workspace, registry, fill_association(blank, a, workspace.inbox / "fiche.docx"))
    got = _exported(registry)[a["association_nom"]]
    assert sorted(x["code"] for x in got["alertes"]) == ["rna_invalide", "siret_invalide"]
    assert got["siret"] == "732 829 320 00075"


def lines_layout(a: dict, path: Path) -> Path:
    """Retyped as labelled lines with ticked boxes, as an association might in its own word processor."""
    d = docx.Document()
    d.add_heading(f"Fiche association — {a['association_nom']}", 1)
    labels = {
        "association_nom": "Nom de l'association",
        "sigle": "Sigle",
        "siret": "N° SIRET",
        "rna": "N° RNA",
        "adresse": "Adresse du siège",
        "code_postal": "Code postal",
        "commune": "Commune",
        "representant_legal_nom": "Représentant légal",
        "representant_legal_fonction": "Fonction du représentant légal",
        "referent_nom": "Nom du référent",
        "referent_fonction": "Fonction du référent",
        "referent_courriel": "Courriel du référent",
        "referent_telephone": "Téléphone du référent",
    }
    for key, label in labels.items():
        d.add_paragraph(f"{label} : {a[key]}")
    d.add_heading("Quartiers d'intervention", 2)
    names = {
        "bonnettes-saint-pol-baudimont": "Baudimont",
        "blancs-monts-hochettes": "Blancs Monts",
        "saint-michel-goudemand": "Saint-Michel",
        "cheminots-jean-jaures-moulin-hacart": "Jean Jaurès",
        "quatre-as": "les 4 As",
        "chanteclair-cevennes": "Chanteclair",
    }
    d.add_paragraph(" et ".join(names[q] for q in a["quartiers_intervention"]))
    d.add_heading("Ambitions du contrat visées", 2)
    labels_amb = {
        "apaise": "Quartier apaisé",
        "plein-emploi": "Quartier de plein emploi",
        "emancipe": "Quartier émancipé",
        "transitions": "Quartier de transitions",
    }
    for key, label in labels_amb.items():
        d.add_paragraph(("☒ " if key in a["ambitions"] else "☐ ") + label)
    d.add_heading("Objectifs stratégiques et opérationnels", 2)
    d.add_paragraph("Quartier émancipé – OS 1 – 1C : Soutenir et accompagner la parentalité")
    d.add_heading("Actions", 2)
    for x in a["actions"]:
        d.add_paragraph(f"Intitulé de l'action : {x['intitule']}")
        d.add_paragraph(f"Description : {x['description']}")
        d.add_paragraph(f"Public visé : {x['public_vise']}")
        d.add_paragraph(f"Bénéficiaires prévus : {x['beneficiaires_prevus']}")
        d.add_paragraph(f"Période : {x['periode']}")
        d.add_paragraph(
            "Cofinancements : " + " ; ".join(f"{c['financeur']} : {c['montant']}" for c in x["cofinancements"])
        )
    d.add_heading("Engagements de l'association", 2)
    from workflow.referentiel import load_referentiel
    from workflow.workspace import default_sources

    for e in load_referentiel(default_sources()[1]).association.engagements_standards:
        d.add_paragraph(("☒ " if e.id in a["engagements"] else "☐ ") + e.libelle)
    d.add_paragraph(f"Autres engagements : {a['autres_engagements']}")
    d.add_heading("Convention pluriannuelle d'objectifs (CPO)", 2)
    d.add_paragraph(f"Demande de CPO : {a['demande_cpo']}")
    if a["duree_cpo_annees"]:
        d.add_paragraph(f"Durée de la CPO : {a['duree_cpo_annees']} ans")
    d.add_heading("Indicateurs de suivi", 2)
    for line in a["indicateurs_suivi"]:
        d.add_paragraph(line, style="List Bullet")
    d.add_heading("Signature", 2)
    d.add_paragraph(f"Fait à : {a['fait_a']}")
    d.add_paragraph(f"Le : {a['date']}")
    d.add_paragraph(f"Signataire : {a['signataire_nom']}")
    d.save(str(path))
    return path


def table_layout(a: dict, path: Path) -> Path:
    """Retyped in two-column tables: label | value, one table per block, sections as headings."""
    source = docx.Document(str(lines_layout(a, path.with_name("source.docx"))))
    d = docx.Document()
    table = None
    for paragraph in source.paragraphs:
        text = paragraph.text
        label, sep, value = text.partition(" : ")
        plain = not sep or text.startswith(("☒", "☐")) or paragraph.style.name == "List Bullet" or "–" in label
        if paragraph.style.name.startswith("Heading") or plain:
            table = None
            d.add_paragraph(text, style=paragraph.style.name if paragraph.style.name.startswith("Heading") else None)
            continue
        if table is None:
            table = d.add_table(rows=0, cols=2)
            table.style = "Table Grid"
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    d.save(str(path))
    return path


@pytest.mark.parametrize("layout", ["lines_layout", "table_layout"])
@pytest.mark.parametrize("i", range(8), ids=lambda i: NAMES[i])
def test_a_form_retyped_in_a_free_layout_comes_back(workspace, registry, tmp_path, i, layout):
    a = association(i)
    _submit(workspace, registry, globals()[layout](a, workspace.inbox / "libre.docx"))
    got = _exported(registry)[a["association_nom"]]
    want = expected(a)
    assert {k: got[k] for k in want} == want


@needs_libreoffice
@pytest.mark.parametrize("fmt", ["pdf", "odt"])
def test_association_forms_in_pdf_and_odt_come_back(workspace, registry, tmp_path, fmt):
    sources = []
    for i in (0, 3):
        a = association(i)
        blank = association_form(workspace, a["association_nom"], tmp_path / f"v{i}.docx")
        sources.append(fill_association(blank, a, tmp_path / f"form_{i}.docx"))
        sources.append(lines_layout(a, tmp_path / f"lines_{i}.docx"))
    for path in convert_all(sources, fmt, tmp_path / fmt):
        _submit(workspace, registry, Path(shutil.copy(path, workspace.inbox / path.name)))
    with registry.session() as session:
        versions = export_data(session, historique=True)["associations"]
    assert len(versions) == 4
    for got in versions:
        a = association(NAMES.index(got["association_nom"]))
        want = expected(a)
        assert {k: got[k] for k in want} == want, got["source"]["fichier"]
