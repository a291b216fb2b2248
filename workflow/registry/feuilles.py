"""The tables of the registry workbook, built from the documented JSON export: one row per
questionnaire, association form, action, cofinancement, file received, meeting…"""

from __future__ import annotations

from typing import Any

from workflow.registry.tableur import STATUTS, Colonne, Noms, Table, jour, lignes, moment
from workflow.render.typographie import cle_fr

C = Colonne
IDENTITE = {
    "association_nom": "Association",
    "sigle": "Sigle",
    "siret": "SIRET",
    "rna": "RNA",
    "adresse": "Adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "representant_legal_nom": "Représentant légal",
    "representant_legal_fonction": "Fonction du représentant",
    "referent_nom": "Référent",
    "referent_fonction": "Fonction du référent",
    "referent_courriel": "Courriel du référent",
    "referent_telephone": "Téléphone du référent",
}
REFERENT = (
    C("referent_nom", "Référent"),
    C("referent_fonction", "Fonction du référent"),
    C("referent_courriel", "Courriel du référent"),
    C("referent_telephone", "Téléphone du référent"),
)
REVUE = (
    C("statut_revue", "Statut de la revue"),
    C("revue_par", "Revue par"),
    C("revue_le", "Revue le", "horodatage"),
    C("alertes", "Alertes"),
    C("corrections", "Corrections"),
    C("fichier", "Fichier reçu"),
    C("recu_le", "Reçu le", "horodatage"),
)


def _revue(item: dict[str, Any]) -> dict[str, Any]:
    revue, source = item["revue"], item["source"]
    return {
        "statut_revue": STATUTS.get(revue["statut"], revue["statut"]),
        "revue_par": revue["par"],
        "revue_le": moment(revue["le"]),
        "alertes": lignes(f"{a['code']} : {a['message']}" for a in item["alertes"]),
        "corrections": lignes(
            f"{c['champ']} : « {c['valeur']} » (lu « {c['valeur_lue']} », par {c['corrigee_par']})"
            for c in item["corrections"]
        ),
        "fichier": source["fichier"],
        "recu_le": moment(source["recu_le"]),
    }


def _objectif(o: dict[str, Any], noms: Noms) -> str:
    ambition = noms.ambitions.get(o.get("ambition") or "", o.get("ambition") or "ambition non précisée")
    return f"{ambition} — OS {o.get('os') or '?'} — {o.get('oo') or ''} {o.get('libelle_saisi') or ''}".strip()


def questionnaires(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {
            **{k: q[k] for k in ("organisme", "campagne", "version", "courant")},
            **{c.cle: q[c.cle] for c in REFERENT},
            "interventions": lignes(
                f"{i['intitule']} : {i['description']}" if i["description"] else i["intitule"]
                for i in q["interventions_structurantes"]
            ),
            "quartiers": noms.quartier(q["quartiers_vises"]),
            "agents": lignes(
                f"{a['nom']} : {a['fonction']}" if a["fonction"] else a["nom"] for a in q["agents_gouvernance"]
            ),
            "engagements": q["engagements_2024_2030"],
            "objectifs": lignes(_objectif(o, noms) for o in q["objectifs"]),
            **_revue(q),
        }
        for q in data["questionnaires"]
    ]
    columns = (
        C("organisme", "Organisme"),
        C("campagne", "Campagne", "entier"),
        C("version", "Version", "entier"),
        C("courant", "Version courante"),
        *REFERENT,
        C("interventions", "Interventions structurantes", largeur=60),
        C("quartiers", "Quartiers visés", largeur=40),
        C("agents", "Agents dans les instances", largeur=40),
        C("engagements", "Engagements 2024-2030", largeur=60),
        C("objectifs", "Objectifs", largeur=60),
        *REVUE,
    )
    return Table("Questionnaires", columns, rows)


def _par_questionnaire(data: dict[str, Any], key: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(q, item) for q in data["questionnaires"] for item in q[key]]


def interventions(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {
            "organisme": q["organisme"],
            "campagne": q["campagne"],
            "intitule": i["intitule"],
            "description": i["description"],
        }
        for q, i in _par_questionnaire(data, "interventions_structurantes")
    ]
    cols = (C("organisme", "Organisme"), C("campagne", "Campagne", "entier"), C("intitule", "Intitulé"))
    return Table("Interventions", (*cols, C("description", "Description", largeur=80)), rows)


def quartiers(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {"organisme": q["organisme"], "campagne": q["campagne"], "quartier": noms.quartiers.get(i, i)}
        for q in data["questionnaires"]
        for i in q["quartiers_vises"]
    ]
    return Table(
        "Quartiers", (C("organisme", "Organisme"), C("campagne", "Campagne", "entier"), C("quartier", "Quartier")), rows
    )


def agents(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {"organisme": q["organisme"], "campagne": q["campagne"], "nom": a["nom"], "fonction": a["fonction"]}
        for q, a in _par_questionnaire(data, "agents_gouvernance")
    ]
    cols = (
        C("organisme", "Organisme"),
        C("campagne", "Campagne", "entier"),
        C("nom", "Nom"),
        C("fonction", "Fonction"),
    )
    return Table("Agents", cols, rows)


def objectifs(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {
            "organisme": q["organisme"],
            "campagne": q["campagne"],
            "ambition": noms.ambitions.get(o["ambition"] or "", o["ambition"] or ""),
            "os": o["os"],
            "oo": o["oo"],
            "libelle": o["libelle_saisi"],
        }
        for q, o in _par_questionnaire(data, "objectifs")
    ]
    cols = (C("organisme", "Organisme"), C("campagne", "Campagne", "entier"), C("ambition", "Ambition"))
    rest = (C("os", "Objectif stratégique", "entier"), C("oo", "Objectif opérationnel"), C("libelle", "Libellé saisi"))
    return Table("Objectifs", (*cols, *rest), rows)


def _en_ordre(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The association forms in French order of their names (« Épicerie » with E), versions kept in order."""
    return sorted(items, key=lambda a: cle_fr(a["association_nom"]))


def associations(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {
            **{k: a.get(k, "") for k in IDENTITE},
            "version": a["version"],
            "courant": a["courant"],
            "quartiers": noms.quartier(a["quartiers_intervention"]),
            "ambitions": ", ".join(noms.ambitions.get(x, x) for x in a["ambitions"]),
            "objectifs": lignes(_objectif(o, noms) for o in a["objectifs"]),
            "actions": len(a["actions"]),
            "engagements": lignes(a["engagements"]),
            "autres_engagements": a["autres_engagements"],
            "cpo": a["demande_cpo"],
            "duree_cpo": a["duree_cpo_annees"],
            "indicateurs": lignes(a["indicateurs_suivi"]),
            "fait_a": a.get("fait_a", ""),
            "signe_le": jour(a.get("date")),
            **_revue(a),
        }
        for a in _en_ordre(data["associations"])
    ]
    columns = (
        *(C(k, label) for k, label in IDENTITE.items()),
        C("version", "Version", "entier"),
        C("courant", "Version courante"),
        C("quartiers", "Quartiers d'intervention", largeur=40),
        C("ambitions", "Ambitions", largeur=40),
        C("objectifs", "Objectifs", largeur=60),
        C("actions", "Actions", "entier"),
        C("engagements", "Engagements", largeur=60),
        C("autres_engagements", "Autres engagements", largeur=40),
        C("cpo", "CPO demandée"),
        C("duree_cpo", "Durée de la CPO (ans)", "entier"),
        C("indicateurs", "Indicateurs de suivi", largeur=40),
        C("fait_a", "Fait à"),
        C("signe_le", "Signé le", "date"),
        *REVUE,
    )
    return Table("Associations", columns, rows)


def actions_associations(data: dict[str, Any], noms: Noms) -> Table:
    rows = []
    for a in _en_ordre(data["associations"]):
        for action in a["actions"]:
            amounts = [c["montant"] for c in action["cofinancements"] if c["montant"] is not None]
            rows.append(
                {
                    "association": a["association_nom"],
                    "intitule": action["intitule"],
                    "description": action["description"],
                    "public": action["public_vise"],
                    "beneficiaires": action["beneficiaires_prevus"],
                    "periode": action["periode"],
                    "cofinanceurs": ", ".join(c["financeur"] for c in action["cofinancements"]),
                    "total": float(sum(amounts)) if amounts else None,
                }
            )
    columns = (
        C("association", "Association"),
        C("intitule", "Action"),
        C("description", "Description", largeur=60),
        C("public", "Public visé"),
        C("beneficiaires", "Bénéficiaires prévus", "entier"),
        C("periode", "Période"),
        C("cofinanceurs", "Cofinanceurs", largeur=40),
        C("total", "Total des cofinancements", "montant"),
    )
    return Table("Actions des associations", columns, rows)


def cofinancements(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {
            "association": a["association_nom"],
            "action": x["intitule"],
            "financeur": c["financeur"],
            "montant": c["montant"],
        }
        for a in _en_ordre(data["associations"])
        for x in a["actions"]
        for c in x["cofinancements"]
    ]
    cols = (C("association", "Association"), C("action", "Action"), C("financeur", "Financeur"))
    return Table("Cofinancements", (*cols, C("montant", "Montant", "montant")), rows)


def journal(data: dict[str, Any], noms: Noms) -> Table:
    rows = [{**e, "le": moment(e["le"])} for e in data["journal"]]
    columns = (
        C("le", "Le", "horodatage"),
        C("par", "Par"),
        C("action", "Action"),
        C("soumission", "Soumission", "entier"),
        C("organisme", "Organisme"),
        C("champ", "Champ"),
        C("avant", "Avant", largeur=40),
        C("apres", "Après", largeur=40),
        C("motif", "Motif", largeur=40),
    )
    return Table("Journal", columns, rows)


def soumissions(data: dict[str, Any], noms: Noms) -> Table:
    rows = [{**s, "recu_le": moment(s["recu_le"])} for s in data["soumissions"]]
    columns = (
        C("fichier", "Fichier"),
        C("type", "Type"),
        C("statut", "Statut"),
        C("motif", "Motif", largeur=40),
        C("recu_le", "Reçu le", "horodatage"),
        C("source", "Source"),
        C("sha256", "Empreinte SHA-256", largeur=20),
    )
    return Table("Fichiers reçus", columns, rows)


def programmation(data: dict[str, Any], noms: Noms) -> Table:
    funders = sorted({f for a in data["programmation"] for f in a["montants"]}, key=list(noms.financeurs).index)
    counted = sorted(
        {
            k
            for a in data["programmation"]
            for k, v in a.items()
            if k.startswith(("beneficiaires", "femmes", "hommes", "moins"))
        }
    )
    rows = [
        {
            **a,
            "ambition": noms.ambitions.get(a["ambition"] or "", a["ambition"]),
            "objectifs": ", ".join(a["objectifs"]),
            "quartiers": noms.quartier(a["quartiers"]),
            **{f"montant_{f}": a["montants"].get(f) for f in funders},
            "total": sum(a["montants"].values()),
        }
        for a in data["programmation"]
    ]
    columns = (
        C("annee", "Année", "entier"),
        C("operateur", "Opérateur"),
        C("type_operateur", "Type d'opérateur"),
        C("action", "Action", largeur=40),
        C("ambition", "Ambition"),
        C("objectifs", "Objectifs"),
        C("quartiers", "Quartiers", largeur=40),
        *(C(f"montant_{f}", f"Montant {noms.financeurs.get(f, f)}", "montant") for f in funders),
        C("total", "Montant total", "montant"),
        C("cpo", "CPO"),
        C("nouvelle", "Action nouvelle"),
        *(C(k, k.replace("_", " ").capitalize().replace("Beneficiaires", "Bénéficiaires"), "entier") for k in counted),
        C("source", "Source"),
    )
    return Table("Programmation", columns, rows)


def reunions(data: dict[str, Any], noms: Noms) -> Table:
    rows = [
        {
            **r,
            "instance": noms.instances.get(r["instance"], r["instance"]),
            "date": jour(r["date"]),
            "institutions": ", ".join(r["institutions"]),
        }
        for r in data["reunions"]
    ]
    columns = (
        C("instance", "Instance"),
        C("date", "Date", "date"),
        C("participants", "Participants", "entier"),
        C("habitants", "Dont habitants", "entier"),
        C("institutions", "Institutions représentées", largeur=40),
        C("source", "Source"),
    )
    return Table("Réunions", columns, rows)


def observations(data: dict[str, Any], noms: Noms) -> Table:
    rows = [{**o, "territoire": noms.quartiers.get(o["territoire"], o["territoire"])} for o in data["observations"]]
    columns = (
        C("territoire", "Territoire"),
        C("indicateur", "Indicateur"),
        C("annee", "Année", "entier"),
        C("valeur", "Valeur", "nombre"),
        C("source", "Source", largeur=40),
    )
    return Table("Observations", columns, rows)


TABLES = {
    "questionnaires": questionnaires,
    "interventions": interventions,
    "quartiers": quartiers,
    "agents": agents,
    "objectifs": objectifs,
    "associations": associations,
    "actions": actions_associations,
    "cofinancements": cofinancements,
    "soumissions": soumissions,
    "journal": journal,
    "programmation": programmation,
    "reunions": reunions,
    "observations": observations,
}
