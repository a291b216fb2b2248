"""`cdv etat`: is the watcher running, what waits, what it did last, what is in quarantine."""

from __future__ import annotations

import datetime as dt
import json

from rich.console import Console
from rich.table import Table

from workflow.watch.lock import STATUS, running
from workflow.watch.stability import is_ignored
from workflow.workspace import Workspace


def show_status(workspace: Workspace, console: Console) -> None:
    path = workspace.registry / STATUS
    status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if running(workspace):
        console.print(
            f"Surveillance en marche (processus {status.get('pid', '?')}), "
            f"démarrée le {_fr(status.get('demarre_le'))}, dernier signe de vie le "
            f"{_fr(status.get('battement'))}."
        )
        console.print(
            f"File d'attente : {status.get('file_d_attente', 0)} fichier(s) ; "
            f"en attente de stabilité : {status.get('en_attente_de_stabilite', 0)}."
        )
    else:
        last = f" (dernier signe de vie le {_fr(status['battement'])})" if status.get("battement") else ""
        console.print(f"Surveillance arrêtée{last}. Lancer : cdv surveiller")
    waiting = [p for p in workspace.inbox.iterdir() if p.is_file() and not is_ignored(p, workspace.quarantine)]
    console.print(f"Fichiers dans inbox/ : {len(waiting)}.")
    if status.get("derniers_fichiers"):
        table = Table("Le", "Fichier", "Statut", "Détail", title="Derniers fichiers traités")
        for item in status["derniers_fichiers"][:10]:
            table.add_row(_fr(item["le"]), item["fichier"], item["statut"], item["detail"])
        console.print(table)
    for job in status.get("prochaines_taches", []) if running(workspace) else []:
        console.print(f"Tâche planifiée : {job['tache']} le {_fr(job['prevue_le'])}.")
    reports = sorted(workspace.quarantine.glob("*.txt"), key=lambda p: p.stat().st_mtime, reverse=True)
    console.print(f"Fichiers en quarantaine : {len(reports)}.")
    for report in reports[:10]:
        motif = next(
            (line[8:] for line in report.read_text(encoding="utf-8").splitlines() if line.startswith("Motif : ")), ""
        )
        console.print(f"  - {report.name.removesuffix('.txt')} : {motif}")


def _fr(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y à %H:%M:%S") if iso else "?"
