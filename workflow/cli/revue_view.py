"""`cdv revue voir`: one submission as a person reviews it, printed with rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from workflow.fr import datetime_fr
from workflow.review.dossier import alerts, load, notes
from workflow.review.queue import kind_label
from workflow.review.view import values


def show(session: Session, soumission_id: int, console: Console) -> None:
    dossier = load(session, soumission_id)
    s, r = dossier.soumission, dossier.revue
    console.print(
        f"[bold]Soumission n° {s.id}[/] : {kind_label(dossier)} de {dossier.organisme}, "
        f"version {dossier.version.version}, fichier « {s.fichier} » reçu le {datetime_fr(s.recu_le)}."
    )
    by = f" par {r.par} le {datetime_fr(r.le)}" if r.par else ""
    console.print(f"Statut : {dossier.statut.libelle}{by}.")
    table = Table("Champ", "Valeur", "Lu dans", "Correction")
    for value in values(session, dossier):
        c = value.correction
        trace = f"lu « {c.valeur_lue} », corrigé par {c.par} le {datetime_fr(c.le)} : {c.motif}" if c else ""
        table.add_row(value.champ, value.valeur, value.provenance, trace)
    console.print(table)
    found = alerts(session, dossier)
    if found:
        listed = Table("Alerte", "Champ", "Message", "Décision", title="Alertes")
        for a in found:
            decided = a.decision
            what = f"{decided.decision} par {decided.par} : {decided.motif}" if decided else "ouverte"
            listed.add_row(a.code + (" (bloquante)" if a.bloquante else ""), a.champ, a.message, what)
        console.print(listed)
    for note in notes(session, s.id):
        console.print(f"Note de {note.par} le {datetime_fr(note.le)} : {note.texte}")
