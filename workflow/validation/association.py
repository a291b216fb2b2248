"""Validate an association form: identifiers, contacts, amounts, quarters, objectives."""

from __future__ import annotations

import re

from workflow.answers import (
    IDENTITE_ASSOCIATION,
    Action,
    Alerte,
    Cofinancement,
    FicheAssociation,
    Lieu,
    ReponsesAssociation,
)
from workflow.referentiel import Referentiel
from workflow.text import number_in_words
from workflow.validation.alertes import CodeAlerte
from workflow.validation.identifiants import montant, rna_problem, siret_problem
from workflow.validation.incertain import uncertain_reading
from workflow.validation.questionnaire import check_contacts, objectifs_answer, quartiers_answer

ACTION_FIELDS = ("intitule", "description", "public_vise", "beneficiaires_prevus", "periode")


def validate_association(reponses: ReponsesAssociation, ref: Referentiel) -> FicheAssociation:
    """Return the association form to record, with its alerts and the provenance of every value."""
    alerts: list[Alerte] = []
    provenance: list[tuple[str, Lieu]] = [(k, v.lieu) for k, v in {**reponses.entete, **reponses.champs}.items()]
    identite = {k: reponses.entete[k].texte.strip() if k in reponses.entete else "" for k in IDENTITE_ASSOCIATION}
    for champ in ref.association.entete:
        if champ.obligatoire and not identite.get(champ.id):
            alerts.append(
                Alerte(
                    CodeAlerte.CHAMP_OBLIGATOIRE_MANQUANT, f"Champ obligatoire manquant : {champ.libelle}.", champ.id
                )
            )
    if identite["siret"] and (problem := siret_problem(identite["siret"])):
        alerts.append(Alerte(CodeAlerte.SIRET_INVALIDE, problem, "siret"))
    if identite["rna"] and (problem := rna_problem(identite["rna"])):
        alerts.append(Alerte(CodeAlerte.RNA_INVALIDE, problem, "rna"))
    check_contacts(identite, alerts)
    quartiers = quartiers_answer(
        reponses.quartiers_coches, reponses.quartiers_texte, ref, alerts, provenance, "quartiers_intervention"
    )
    known = {a.id for a in ref.ambitions}
    ambitions = tuple(dict.fromkeys(v.texte for v in reponses.ambitions if v.texte in known))
    objectifs = objectifs_answer(reponses.objectifs, ref, alerts, provenance)
    if not ambitions:  # no ambition ticked: those of the objectives named, in the contract's order
        named = {o.ambition for o in objectifs}
        ambitions = tuple(a.id for a in ref.ambitions if a.id in named)
    standards = {e.id for e in ref.association.engagements_standards}
    engagements = tuple(dict.fromkeys(v.texte for v in reponses.engagements if v.texte in standards))
    champs = {k: v.texte.strip() for k, v in reponses.champs.items()}
    alerts += uncertain_reading(reponses.sections_vides, reponses.non_classe, ref)
    return FicheAssociation(
        identite=identite,
        quartiers=quartiers,
        ambitions=ambitions,
        objectifs=objectifs,
        actions=tuple(_actions(reponses, alerts, provenance)),
        engagements=engagements,
        autres_engagements=champs.get("autres_engagements", ""),
        demande_cpo=_yes_no(champs.get("demande_cpo", "")),
        duree_cpo_annees=_integer(champs.get("duree_cpo_annees", "")),
        indicateurs_suivi=tuple(v.texte for v in reponses.indicateurs if v.texte.strip()),
        signature={k: champs.get(k, "") for k in ("fait_a", "date", "signataire_nom")},
        alertes=tuple(dict.fromkeys(alerts)),
        provenance=tuple(provenance),
    )


def _actions(reponses: ReponsesAssociation, alerts: list[Alerte], provenance: list[tuple[str, Lieu]]) -> list[Action]:
    out: list[Action] = []
    for raw in reponses.actions:
        i = len(out)
        values = {k: raw.champs[k].texte.strip() if k in raw.champs else "" for k in ACTION_FIELDS}
        provenance += [(f"actions[{i}].{k}", v.lieu) for k, v in raw.champs.items()]
        funding = []
        for j, row in enumerate(raw.cofinancements):
            written = row["montant"].texte if "montant" in row else ""
            amount = montant(written)
            if written.strip() and amount is None:
                alerts.append(
                    Alerte(
                        CodeAlerte.MONTANT_ILLISIBLE,
                        f"Montant illisible « {written} » (action {i + 1}).",
                        f"actions[{i}].cofinancements[{j}].montant",
                    )
                )
            provenance += [(f"actions[{i}].cofinancements[{j}].{k}", v.lieu) for k, v in row.items()]
            funding.append(Cofinancement(row["financeur"].texte.strip() if "financeur" in row else "", amount))
        out.append(
            Action(
                values["intitule"],
                values["description"],
                values["public_vise"],
                _beneficiaries(values["beneficiaires_prevus"], i, alerts),
                values["periode"],
                tuple(funding),
            )
        )
    return out


def _yes_no(text: str) -> bool | None:
    word = text.strip().lower()
    if word in ("oui", "o", "x", "yes", "vrai", "1", "☒"):
        return True
    if word in ("non", "n", "no", "faux", "0", "☐"):
        return False
    return None


def _beneficiaries(text: str, i: int, alerts: list[Alerte]) -> int | None:
    """« 18 personnes » → 18; « quarante » → 40, flagged `nombre_illisible` for a person to confirm."""
    if not text.strip() or (number := _integer(text)) is not None:
        return _integer(text)
    number = number_in_words(text)
    read = f" : lu {number}" if number is not None else ""
    alerts.append(
        Alerte(
            CodeAlerte.NOMBRE_ILLISIBLE,
            f"Nombre de bénéficiaires écrit « {text} » (action {i + 1}){read}.",
            f"actions[{i}].beneficiaires_prevus",
        )
    )
    return number


def _integer(text: str) -> int | None:
    digits = re.sub(r"[\s\u00a0\u202f]", "", text)
    match = re.match(r"^\D*(\d+)", digits)
    return int(match.group(1)) if match else None
