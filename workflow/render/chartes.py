"""Engagement charters: one document per association, and the annex gathering them all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx.document import Document

from workflow.fr import date_fr, montant_fr
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import FicheAssociationVersion
from workflow.registry.queries import associations, selection
from workflow.render.colonnes import fit_columns
from workflow.render.sommaire import paginer
from workflow.render.templating import render_docx
from workflow.render.typographie import cle_fr, siret_fr
from workflow.text import normalise
from workflow.workspace import Workspace

GABARIT = "charte_engagement.docx"
ANNEXE = "annexe_chartes_engagement.docx"
TITRE_ANNEXE = "Contrat de ville « Cœur de Quartier » 2024-2030 — Annexe : chartes d'engagement des associations"


def charte(v: FicheAssociationVersion, ref: Referentiel) -> dict[str, Any]:
    """The context of one charter: parties, quarters, objectives with the tree's labels, actions…"""
    who = v.identite
    labels = {e.id: e.libelle for e in ref.association.engagements_standards}
    representant = ", ".join(
        x for x in (who.get("representant_legal_nom"), who.get("representant_legal_fonction")) if x
    )
    cpo = "Demande de convention pluriannuelle d'objectifs : " + (
        f"oui{f', pour {v.duree_cpo_annees} ans' if v.duree_cpo_annees else ''}."
        if v.demande_cpo
        else "non."
        if v.demande_cpo is False
        else "non précisée."
    )
    return {
        "titre": f"CHARTE D'ENGAGEMENT — {who['association_nom'].upper()}",
        "non_verifiee": not v.soumission.validee,
        "nom": who["association_nom"],
        "sigle": who.get("sigle", ""),
        "siret": siret_fr(who.get("siret", "")),
        "rna": who.get("rna", ""),
        "adresse": " ".join(x for x in (who.get("adresse"), who.get("code_postal"), who.get("commune")) if x),
        "representant": representant or "son représentant légal",
        "quartiers": [q.nom for q in (ref.quartier(i) for i in v.quartiers) if q],
        "ambitions": ", ".join(a.libelle for a in (ref.ambition(i) for i in v.ambitions) if a) or "non précisées",
        "objectifs": [_objectif(o, ref) for o in v.objectifs],
        "actions": [
            {
                "intitule": a.intitule,
                "public_vise": a.public_vise,
                "periode": a.periode,
                "beneficiaires": str(a.beneficiaires_prevus or ""),
                "cofinancements": " ; ".join(
                    f"{c.financeur} : {montant_fr(c.montant)}" if c.montant is not None else c.financeur
                    for c in a.cofinancements
                ),
            }
            for a in v.actions
        ],
        "engagements": [labels[e] for e in v.engagements if e in labels],
        "autres_engagements": v.autres_engagements,
        "cpo": cpo,
        "indicateurs": v.indicateurs_suivi,
        "signataire": v.signature.get("signataire_nom") or representant,
        "page": "",  # in the annex's table of contents, once laid out
        "fait_a": v.signature.get("fait_a", ""),
        "date": v.signature.get("date", ""),
    }


def _objectif(o: dict[str, Any], ref: Referentiel) -> str:
    ambition = ref.ambition(o.get("ambition") or "")
    reference = o.get("reference")
    if ambition and reference:
        number, code = reference.split("/")[1:]
        os_ = ambition.os(int(number))
        oo = next((x for x in os_.objectifs_operationnels if x.code == code), None) if os_ else None
        if os_ and oo:
            return f"{ambition.libelle} — OS {os_.numero} : {os_.libelle} — {oo.printed_code} {oo.libelle}"
    return f"{o.get('oo', '')} {o.get('libelle_saisi', '')}".strip()  # as the partner wrote it


def render_charters(
    workspace: Workspace, registry: Registry, annex: Path | None = None, projet: bool = False
) -> tuple[list[Path], Path]:
    """Write outbox/chartes/<association>.docx for each association, and the gathered annex.

    Only validated forms are used, unless `projet` asks for a draft of the latest ones, marked as such.
    """
    with registry.session() as session:
        chartes = [charte(v, workspace.referentiel) for v in associations(session, selection(projet))]
    chartes.sort(key=lambda c: cle_fr(c["nom"]))  # French order: « Épicerie » with E, « Médiation » before « Mission »
    gabarit = workspace.gabarit(GABARIT)
    today = date_fr(dt.date.today())
    folder = workspace.outbox / "chartes"
    written = [
        render_docx(
            gabarit,
            {"sommaire": False, "projet": projet, "date_edition": today, "chartes": [c]},
            folder / f"charte_{normalise(c['nom']).replace(' ', '_')[:80]}.docx",
            finish=fit_columns,
            titre=f"Charte d'engagement — {c['nom']}",
        )
        for c in chartes
    ]
    gathered = _annexe(gabarit, chartes, projet, today, annex or workspace.outbox / ANNEXE)
    pages = paginer(gathered, [c["titre"] for c in chartes]) if chartes else None
    if pages:  # a second rendering with the table of contents' page numbers
        for c, page in zip(chartes, pages, strict=True):
            c["page"] = str(page or "")
        gathered = _annexe(gabarit, chartes, projet, today, gathered)
    return written, gathered


def _annexe(gabarit: Path, chartes: list[dict[str, Any]], projet: bool, today: str, output: Path) -> Path:
    return render_docx(
        gabarit,
        {"sommaire": True, "projet": projet, "date_edition": today, "chartes": chartes},
        output,
        finish=_finish_annex,
        titre=TITRE_ANNEXE,
    )


def _finish_annex(document: Document) -> None:
    """Fit the tables, and leave the cover without the page footer (as the other annexes)."""
    fit_columns(document)
    document.sections[0].different_first_page_header_footer = True
