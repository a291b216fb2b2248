"""Ingest an e-mail: each form attachment becomes its own submission, linked to the e-mail.

Attachments go through the pipeline first, then the e-mail is recorded with its body and every
attachment (archived by hash). A crash in between leaves the e-mail in the inbox: taken again,
its attachments come back as doublons and the e-mail is recorded once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import update

from workflow.intake.ingest import Arrivee, Resultat, Statut, archive, ingest, quarantine, release, sha256
from workflow.parsers import Illisible, Motif
from workflow.parsers.mail import CourrielLu, read_eml, read_msg
from workflow.parsers.sniff import FileKind, sniff
from workflow.registry.db import Registry
from workflow.registry.models import Courriel as CourrielRow
from workflow.registry.models import PieceJointeRow, Soumission
from workflow.workspace import Workspace

DOCUMENTS = {
    FileKind.DOCX,
    FileKind.DOCM,
    FileKind.ODT,
    FileKind.DOC,
    FileKind.RTF,
    FileKind.PDF,
    FileKind.EML,
    FileKind.MSG,
    FileKind.ENCRYPTED,
}
MAX_DEPTH = 3


def ingest_email(
    workspace: Workspace, registry: Registry, arrivee: Arrivee, base: dict[str, Any], kind: FileKind
) -> Resultat:
    """Take an .eml or .msg file: its form attachments, then the e-mail itself."""
    try:
        courriel = (read_eml if kind == FileKind.EML else read_msg)(arrivee.path)
    except Illisible as e:
        return quarantine(workspace, registry, arrivee, base, e.motif.value, e.detail)
    if arrivee.profondeur >= MAX_DEPTH:
        return quarantine(
            workspace,
            registry,
            arrivee,
            base,
            Motif.TYPE_NON_PRIS_EN_CHARGE.value,
            "courriels imbriqués trop profondément les uns dans les autres",
        )
    with tempfile.TemporaryDirectory(prefix="cdv-courriel-") as tmp:
        saved = _save(courriel, Path(tmp))
        documents = [(path, found) for path, found in saved if found in DOCUMENTS]
        if not documents:
            return quarantine(
                workspace,
                registry,
                arrivee,
                base,
                Motif.NON_FORMULAIRE.value,
                f"courriel sans formulaire en pièce jointe (de {courriel.expediteur or 'expéditeur inconnu'}, "
                f"objet « {courriel.sujet} ») : {len(courriel.pieces)} pièce(s) jointe(s) non lisible(s) "
                "comme formulaire",
            )
        results = [
            ingest(workspace, registry, Arrivee(path, "courriel", nom=path.name, profondeur=arrivee.profondeur + 1))
            for path, _ in documents
        ]
        email_id = _record(workspace, registry, arrivee, base, kind, courriel, saved, results)
    release(arrivee)
    detail = (
        f"courriel de {courriel.expediteur}, objet « {courriel.sujet} », {len(results)} pièce(s) jointe(s) "
        f"traitée(s) sur {len(courriel.pieces)}"
    )
    return Resultat(
        str(base["fichier"]),
        Statut.ENREGISTRE,
        str(base["sha256"]),
        kind.value,
        detail=detail,
        soumission_id=email_id,
        pieces=tuple(results),
        erreur_interne=any(r.erreur_interne for r in results),
    )


def _save(courriel: CourrielLu, folder: Path) -> list[tuple[Path, FileKind]]:
    """Write the attachments under their sanitised names (made unique) and sniff each."""
    saved = []
    for i, piece in enumerate(courriel.pieces, start=1):
        target = folder / piece.nom
        if target.exists():
            target = folder / f"{i}_{piece.nom}"
        target.write_bytes(piece.contenu)
        saved.append((target, sniff(target)))
    return saved


def _record(
    workspace: Workspace,
    registry: Registry,
    arrivee: Arrivee,
    base: dict[str, Any],
    kind: FileKind,
    courriel: CourrielLu,
    saved: list[tuple[Path, FileKind]],
    results: list[Resultat],
) -> int:
    archived = archive(workspace, arrivee.path, str(base["sha256"]), kind)
    by_name = {r.fichier: r for r in results}
    with registry.session() as session:
        soumission = Soumission(
            **base,
            type_fichier=kind.value,
            type_formulaire="courriel",
            parseur=kind.value,
            statut=Statut.ENREGISTRE,
            motif="",
            chemin=str(archived.relative_to(workspace.root)),
        )
        session.add(soumission)
        session.flush()
        row = CourrielRow(
            soumission_id=soumission.id,
            expediteur=courriel.expediteur,
            destinataires=courriel.destinataires,
            date_envoi=courriel.date,
            sujet=courriel.sujet,
            message_id=courriel.message_id,
            corps=courriel.corps,
        )
        for path, found in saved:
            sha = sha256(path)
            kept = archive(workspace, path, sha, found)
            linked = by_name.get(path.name)
            row.pieces.append(
                PieceJointeRow(
                    nom=path.name,
                    sha256=sha,
                    taille=path.stat().st_size,
                    type_fichier=found.value,
                    chemin=str(kept.relative_to(workspace.root)),
                    soumission_id=linked.soumission_id if linked else None,
                )
            )
        session.add(row)
        session.flush()
        ids = [r.soumission_id for r in results if r.soumission_id]
        session.execute(update(Soumission).where(Soumission.id.in_(ids)).values(courriel_id=row.id))
        return soumission.id
