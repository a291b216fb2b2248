"""Validate stage: tie extracted answers to the reference data; raise alerts, never reject."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from workflow.answers import (
    Agent,
    Alerte,
    Intervention,
    Lieu,
    Ligne,
    ObjectifDeclare,
    Questionnaire,
    ReponsesQuestionnaire,
    Valeur,
)
from workflow.referentiel import Ambition, Referentiel
from workflow.validation import objectifs as obj
from workflow.validation.alertes import CodeAlerte
from workflow.validation.contacts import email_problem, phone_problem
from workflow.validation.incertain import uncertain_reading
from workflow.validation.organisations import closest_signataires, resolve_signataire
from workflow.validation.quartiers import resolve_ids, resolve_text

_NOT_NAMED = re.compile(  # « À désigner » in the name column: a seat whose holder is not known yet
    r"^\s*(?:[àa]\s+(?:d[ée]signer|d[ée]finir|pr[ée]ciser|pourvoir|venir|recruter)|non (?:encore )?d[ée]sign[ée]e?s?|"
    r"vacant|en cours de (?:recrutement|d[ée]signation)|\?+)\s*\.?\s*$",
    re.I,
)
_YEAR = re.compile(r"\b(20[2-4]\d)\b")
ORGANISME_INCONNU = "Organisme non renseigné"


def validate_questionnaire(reponses: ReponsesQuestionnaire, ref: Referentiel, received: dt.datetime) -> Questionnaire:
    """Return the questionnaire to record, with its alerts and the provenance of every value."""
    alerts: list[Alerte] = []
    provenance: list[tuple[str, Lieu]] = [(k, v.lieu) for k, v in reponses.entete.items()]
    head = {k: v.texte.strip() for k, v in reponses.entete.items()}
    for champ in ref.questionnaire.entete:
        if champ.obligatoire and not head.get(champ.id):
            alerts.append(
                Alerte(
                    CodeAlerte.CHAMP_OBLIGATOIRE_MANQUANT, f"Champ obligatoire manquant : {champ.libelle}.", champ.id
                )
            )
    for question in reponses.questions_absentes:
        alerts.append(
            Alerte(
                CodeAlerte.QUESTION_ABSENTE,
                f"Question absente du document : « {ref.questionnaire.question(question).texte} »",
                question,
            )
        )
    campagne = _campagne(head.get("campagne", ""), received, alerts)
    if "campagne" not in reponses.entete:
        provenance.append(("campagne", Lieu("deduit", f"année de réception du fichier ({received.year})")))
    check_contacts(head, alerts)
    organisme = head.get("organisme") or ORGANISME_INCONNU
    signataire = resolve_signataire(organisme, ref)
    if head.get("organisme") and signataire is None:
        alerts.append(_unknown_organisation(organisme, ref))
    alerts.extend(uncertain_reading(reponses.sections_vides, reponses.non_classe, ref))

    interventions = _rows(
        reponses.interventions, "interventions_structurantes", ("intitule", "description"), provenance
    )
    agents = _rows(reponses.agents, "agents_gouvernance", ("nom", "fonction"), provenance)
    agents = [{**a, "nom": "" if _NOT_NAMED.match(a["nom"]) else a["nom"]} for a in agents]
    alerts += [
        Alerte(
            CodeAlerte.AGENT_SANS_NOM,
            f"Agent désigné par sa seule fonction (« {a['fonction']} ») : demander son nom au partenaire.",
            f"agents_gouvernance[{i}].nom",
        )
        for i, a in enumerate(agents)
        if not a["nom"]
    ]
    quartiers = quartiers_answer(reponses.quartiers_coches, reponses.quartiers_texte, ref, alerts, provenance)
    objectifs = objectifs_answer(reponses.objectifs, ref, alerts, provenance)
    provenance += [(f"engagements_2024_2030[{i}]", v.lieu) for i, v in enumerate(reponses.engagements)]
    return Questionnaire(
        organisme=signataire.nom if signataire else organisme,
        signataire_id=signataire.id if signataire else None,
        campagne=campagne,
        referent_nom=head.get("referent_nom", ""),
        referent_fonction=head.get("referent_fonction", ""),
        referent_courriel=head.get("referent_courriel", ""),
        referent_telephone=head.get("referent_telephone", ""),
        interventions=tuple(Intervention(r["intitule"], r["description"]) for r in interventions),
        quartiers=quartiers,
        agents=tuple(Agent(r["nom"], r["fonction"]) for r in agents),
        engagements="\n".join(v.texte for v in reponses.engagements),
        objectifs=objectifs,
        alertes=tuple(dict.fromkeys(alerts)),
        provenance=tuple(provenance),
    )


def _campagne(text: str, received: dt.datetime, alerts: list[Alerte]) -> int:
    match = _YEAR.search(text)
    if match:
        return int(match.group(1))
    if text:
        alerts.append(
            Alerte(
                CodeAlerte.CAMPAGNE_ILLISIBLE,
                f"Campagne illisible « {text} » : année de réception retenue.",
                "campagne",
            )
        )
    return received.year


def _rows(
    rows: tuple[Ligne, ...], field: str, keys: tuple[str, ...], provenance: list[tuple[str, Lieu]]
) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for row in rows:
        values = {k: row[k].texte.strip() if k in row else "" for k in keys}
        if not any(values.values()):
            continue
        index = len(out)
        provenance += [(f"{field}[{index}].{k}", row[k].lieu) for k in keys if k in row]
        out.append(values)
    return out


def check_contacts(head: dict[str, str], alerts: list[Alerte]) -> None:
    """Flag the referent's e-mail address and phone number when they are not usable."""
    if head.get("referent_courriel") and (problem := email_problem(head["referent_courriel"])):
        alerts.append(Alerte(CodeAlerte.COURRIEL_INVALIDE, problem, "referent_courriel"))
    if head.get("referent_telephone") and (problem := phone_problem(head["referent_telephone"])):
        alerts.append(Alerte(CodeAlerte.TELEPHONE_INVALIDE, problem, "referent_telephone"))


def quartiers_answer(
    coches: tuple[Valeur, ...],
    textes: tuple[Valeur, ...],
    ref: Referentiel,
    alerts: list[Alerte],
    provenance: list[tuple[str, Lieu]],
    champ: str = "quartiers_vises",
) -> tuple[str, ...]:
    """Return the quarter ids from ticked boxes and free text, in reference order."""
    ticked = resolve_ids([v.texte for v in coches], ref, champ)
    lieux = {v.texte: v.lieu for v in coches}
    found = list(ticked.ids)
    alerts += ticked.alertes
    for value in textes:
        resolution = resolve_text(value.texte, ref, champ)
        alerts += resolution.alertes
        for quartier_id in resolution.ids:
            lieux.setdefault(quartier_id, value.lieu)
        found += resolution.ids
    order = [q.id for q in ref.quartiers.quartiers]
    ids = sorted(set(found), key=order.index)
    provenance += [(f"{champ}[{i}]", lieux[q]) for i, q in enumerate(ids)]
    return tuple(ids)


def _ambition_context(saisies: list[obj.Saisie], ref: Referentiel) -> dict[int | None, Ambition]:
    """Return the ambition the rows that state or imply one point to, per OS number and overall."""
    votes: dict[int | None, Counter[str]] = {}
    for saisie in saisies:
        ambition = obj.own_ambition(saisie, ref)
        if ambition:
            number = obj.parse_os(saisie.os)[0] or obj.parse_code(saisie.oo)[0]
            for key in (number, None):
                votes.setdefault(key, Counter())[ambition.id] += 1
    return {key: ref.ambition(c.most_common(1)[0][0]) for key, c in votes.items()}  # type: ignore[misc]


def objectifs_answer(
    rows: tuple[Ligne, ...], ref: Referentiel, alerts: list[Alerte], provenance: list[tuple[str, Lieu]]
) -> tuple[ObjectifDeclare, ...]:
    """Return the declared objectives tied to the tree (ambition inferred from the other rows)."""
    saisies = [
        (
            row,
            obj.Saisie(
                **{k: row[k].texte for k in ("ambition", "os", "os_libelle", "oo") if k in row},
                libelle=row["libelle_saisi"].texte if "libelle_saisi" in row else "",
            ),
        )
        for row in rows
    ]
    saisies = [(row, s) for row, s in saisies if any((s.oo, s.libelle, s.os))]
    context = _ambition_context([s for _, s in saisies], ref)
    out: list[ObjectifDeclare] = []
    for row, saisie in saisies:
        key = obj.parse_os(saisie.os)[0] or obj.parse_code(saisie.oo)[0]
        declared, raised = obj.resolve(saisie, ref, f"objectifs[{len(out)}]", context.get(key) or context.get(None))
        provenance += [(f"objectifs[{len(out)}].{k}", v.lieu) for k, v in row.items()]
        alerts += raised
        out.append(declared)
    return tuple(out)


def _unknown_organisation(name: str, ref: Referentiel) -> Alerte:
    close = closest_signataires(name, ref)
    hint = f" Signataires les plus proches : {', '.join(f'« {n} »' for n in close)}." if close else ""
    return Alerte(CodeAlerte.ORGANISME_INCONNU, f"« {name} » n'est pas un signataire du contrat.{hint}", "organisme")
