"""The console's pages on registries of 1 000 and 10 000 submissions: dashboard, one submission, a search,
the review queue and the journal (their first page).

The partners stay those of a real contract (its signatories and 60 associations); what grows is the
history, as years pass: campaigns 2024-2030, versions, duplicates and quarantined files. Rows are
written straight into the registry (10 000 real ingestions would take an hour); the pages are served
by the real application through its HTTP interface, logged in. Printed: the median time of each page
at both sizes, their ratio (goal: at most 2×) and the number of SQL statements each page runs.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from workflow.registry import models as m
from workflow.registry.db import Registry
from workflow.review import users
from workflow.web.security import set_password
from workflow.workspace import Workspace, init_workspace

SIZES = (1_000, 10_000)
ASSOCIATIONS = 60
CAMPAGNES = range(2024, 2031)
USER, PASSWORD = "bench.equipe", "mot de passe du banc d'essai"
START = dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.UTC)


class Rows:
    """The rows of a synthetic registry, table by table, with ids given here."""

    def __init__(self) -> None:
        self.tables: dict[Any, list[dict[str, Any]]] = {}
        self.ids: dict[Any, int] = {}

    def add(self, model: Any, **values: Any) -> int:
        self.ids[model] = self.ids.get(model, 0) + 1
        self.tables.setdefault(model, []).append({"id": self.ids[model], **values})
        return self.ids[model]


def _organisations(rows: Rows, workspace: Workspace) -> tuple[list[int], list[int]]:
    signatories = [
        rows.add(m.Organisation, nom=s.nom, cle=f"signataire:{s.id}", signataire_id=s.id, type="signataire")
        for s in workspace.referentiel.signataires.signataires
    ]
    associations = [
        rows.add(
            m.Organisation,
            nom=f"Association n° {k}",
            cle=f"association:association n {k}",
            signataire_id=None,
            type="association",
        )
        for k in range(ASSOCIATIONS)
    ]
    return signatories, associations


def _submission(rows: Rows, i: int, kind: str | None, statut: str = "enregistre") -> int:
    return rows.add(
        m.Soumission,
        fichier=f"reponse_{i}.docx",
        sha256=f"{i:064x}",
        taille=40_000,
        recu_le=START + dt.timedelta(hours=i),
        source="dossier",
        type_fichier="docx",
        type_formulaire=kind,
        parseur="docx",
        statut=statut,
        motif="" if statut != "quarantaine" else "document illisible",
        chemin="",
        origine="",
    )


def _review(rows: Rows, sid: int, i: int) -> None:
    statut = ("a_verifier", "validee", "validee", "a_corriger")[i % 4]
    rows.add(m.Revue, soumission_id=sid, statut=statut, par="", le=START + dt.timedelta(hours=i))
    if i % 3 == 0:
        rows.add(
            m.DecisionAlerte,
            soumission_id=sid,
            code="courriel_invalide",
            champ="referent_courriel",
            decision="acceptee",
            motif="vérifié",
            par=USER,
            le=START,
        )
    if i % 5 == 0:
        rows.add(m.Note, soumission_id=sid, texte=f"Appel du partenaire n° {i}", par=USER, le=START)


def _questionnaire(rows: Rows, i: int, organisation: int, campagne: int, version: int) -> int:
    sid = _submission(rows, i, "questionnaire")
    qid = rows.add(
        m.QuestionnaireVersion,
        organisation_id=organisation,
        campagne=campagne,
        version=version,
        courant=False,
        soumission_id=sid,
        referent_nom=f"Agent {i}",
        referent_fonction="Chargé de mission",
        referent_courriel=f"agent{i} exemple.fr",
        referent_telephone="03 21 00 00 00",
        engagements="Poursuivre la GUP.",
    )
    for rang in range(2):
        rows.add(
            m.InterventionRow,
            questionnaire_id=qid,
            rang=rang,
            intitule=f"Gestion urbaine {rang}",
            description="Halls et abords",
        )
    rows.add(m.AgentRow, questionnaire_id=qid, rang=0, nom=f"Agent {i}", fonction="Référent")
    rows.add(m.QuartierRow, questionnaire_id=qid, rang=0, quartier_id="chanteclair-cevennes")
    rows.add(
        m.ObjectifRow, questionnaire_id=qid, rang=0, ambition="emploi", os=4, oo="4Z", libelle_saisi="", reference=None
    )
    rows.add(
        m.AlerteRow,
        questionnaire_id=qid,
        code="courriel_invalide",
        message="Adresse électronique invalide",
        champ="referent_courriel",
    )
    rows.add(
        m.AlerteRow, questionnaire_id=qid, code="objectif_inconnu", message="Objectif 4Z inconnu", champ="objectifs[0]"
    )
    for champ in ("organisme", "campagne", "referent_nom", "referent_courriel", "engagements_2024_2030"):
        rows.add(
            m.ProvenanceRow,
            questionnaire_id=qid,
            champ=champ,
            methode="controle",
            localisation=f"contrôle {champ}",
            certitude="certaine",
        )
    _review(rows, sid, i)
    return qid


def _fiche(rows: Rows, i: int, organisation: int, version: int) -> int:
    sid = _submission(rows, i, "association")
    fid = rows.add(
        m.FicheAssociationVersion,
        organisation_id=organisation,
        version=version,
        courant=False,
        soumission_id=sid,
        identite={
            "association_nom": f"Association {i}",
            "siret": "667 114 185 00479",
            "referent_nom": f"Agent {i}",
            "referent_courriel": f"agent{i}@exemple.fr",
        },
        quartiers=["quatre-as"],
        ambitions=["emancipe"],
        objectifs=[],
        engagements=["tiers-lieu"],
        autres_engagements="",
        demande_cpo=True,
        duree_cpo_annees=3,
        indicateurs_suivi=["Participants"],
        signature={"fait_a": "Arras"},
        alertes=[{"code": "siret_invalide", "message": "SIRET invalide", "champ": "siret"}],
        provenance={"siret": {"methode": "controle", "localisation": "contrôle siret", "certitude": "certaine"}},
    )
    action = rows.add(
        m.ActionRow,
        fiche_id=fid,
        rang=0,
        intitule="Café des parents",
        description="Proximité",
        public_vise="Parents",
        beneficiaires_prevus=50,
        periode="2025",
    )
    rows.add(m.CofinancementRow, action_id=action, rang=0, financeur="CAF", montant=3400)
    _review(rows, sid, i)
    return fid


def build(registry: Registry, workspace: Workspace, size: int) -> None:
    """Write a registry of `size` submissions: 80 % forms (each new one a version of a partner), 20 % others."""
    rows = Rows()
    signatories, associations = _organisations(rows, workspace)
    slots = [(o, c) for c in CAMPAGNES for o in signatories]
    versions: dict[Any, int] = {}
    last: dict[Any, tuple[Any, int]] = {}
    for i in range(size):
        if i % 10 == 8:
            _submission(rows, i, None, "quarantaine")
        elif i % 10 == 9:
            _submission(rows, i, "questionnaire", "doublon")
        elif i % 3 == 2:
            organisation = associations[i % len(associations)]
            versions[organisation] = versions.get(organisation, 0) + 1
            last[organisation] = (m.FicheAssociationVersion, _fiche(rows, i, organisation, versions[organisation]))
        else:
            slot = slots[i % len(slots)]
            versions[slot] = versions.get(slot, 0) + 1
            last[slot] = (m.QuestionnaireVersion, _questionnaire(rows, i, *slot, versions[slot]))
    current = {(model, row_id) for model, row_id in last.values()}
    for model in (m.QuestionnaireVersion, m.FicheAssociationVersion):
        for row in rows.tables.get(model, []):
            row["courant"] = (model, row["id"]) in current
    for campagne in CAMPAGNES:
        for k, s in enumerate(workspace.referentiel.signataires.signataires[:5]):
            rows.add(
                m.Relance,
                campagne=campagne,
                cle=f"signataire:{s.id}",
                organisme=s.nom,
                numero=1 + k % 2,
                destinataire="x@exemple.fr",
                echeance=dt.date(campagne, 3, 14),
                preparee_le=START,
                fichier="r.eml",
                envoyee_le=START if k % 2 else None,
            )
    parents = (m.Organisation, m.Soumission, m.QuestionnaireVersion, m.FicheAssociationVersion, m.ActionRow)
    with registry.session() as session:
        for parent in parents:
            session.execute(insert(parent), rows.tables.get(parent, []))
        for child, table in rows.tables.items():
            if child not in parents:
                session.execute(insert(child), table)
        users.add(session, USER, "Banc d'essai", users.Role.EQUIPE)
        set_password(session, USER, PASSWORD)


@contextmanager
def counted(registry: Registry) -> Iterator[list[str]]:
    """Collect the SQL statements run meanwhile."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(registry.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(registry.engine, "before_cursor_execute", count)


@contextmanager
def served(root: Path, size: int) -> Iterator[tuple[Any, Registry, dict[str, str]]]:
    """Yield a logged-in client of the console on a registry of `size` submissions, and the pages to time."""
    from fastapi.testclient import TestClient

    from workflow.web.app import create_app

    workspace = init_workspace(root)
    registry = Registry(workspace.database_url())
    build(registry, workspace, size)
    registry.close()
    app = create_app(workspace)
    with TestClient(app) as client:
        page = client.get("/connexion").text
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        client.post("/connexion", data={"csrf": csrf, "identifiant": USER, "mot_de_passe": PASSWORD})
        console_registry = app.state.console.registry
        with console_registry.session() as session:
            newest = max(r.soumission_id for r in session.query(m.QuestionnaireVersion).filter_by(courant=True))
        yield (
            client,
            console_registry,
            {
                "tableau de bord 2030": "/tableau?campagne=2030",
                "soumission la plus récente": f"/soumissions/{newest}",
                "recherche « gestion urbaine »": "/recherche?q=gestion+urbaine",
                "à vérifier, page 1": "/a-verifier",
                "journal, page 1": "/journal",
            },
        )


def main(repetitions: int = 9) -> None:
    """Print each page's time at 1 000 and 10 000 submissions and the ratio, requests of both sizes alternated."""
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        servers = [stack.enter_context(served(Path(tmp) / f"espace_{n}", n)) for n in SIZES]
        print(
            f"console web, registres de {SIZES[0]:_} et {SIZES[1]:_} soumissions (mêmes partenaires, historique "
            f"décuplé) : médianes de {repetitions} requêtes HTTP alternées, objectif ≤ 2× :".replace("_", "\u202f")
        )
        for label in servers[0][2]:
            times: list[list[float]] = [[], []]
            queries = []
            for client, registry, pages in servers:
                assert client.get(pages[label]).status_code == 200, pages[label]
                with counted(registry) as statements:
                    client.get(pages[label])
                queries.append(len(statements))
            for _ in range(repetitions):
                for k, (client, _registry, pages) in enumerate(servers):
                    start = time.perf_counter()
                    client.get(pages[label])
                    times[k].append(time.perf_counter() - start)
            small, large = (statistics.median(t) for t in times)
            print(
                f"  {label:30} {small * 1000:7.1f} ms → {large * 1000:7.1f} ms   rapport {large / small:4.2f}×   "
                f"requêtes SQL {queries[0]} → {queries[1]}"
            )


if __name__ == "__main__":
    main()
