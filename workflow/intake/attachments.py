"""Unpack an e-mail into arrivals and record it with its body and every attachment.

Each form attachment goes through `ingest` on its own (the caller does that); the e-mail is then
recorded with links to what its attachments became. A crash in between leaves the e-mail in the
inbox: taken again, its attachments come back as doublons and the e-mail is recorded once.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.intake import sandbox, storage
from workflow.intake.types import Resultat
from workflow.parsers.mail import CourrielLu, read_eml, read_msg
from workflow.parsers.sniff import FileKind, sniff
from workflow.workspace import Workspace

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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


@dataclass(frozen=True)
class Piece:
    """An attachment written to a temporary folder, with the type read from its content."""

    path: Path
    kind: FileKind


def read(path: Path, kind: FileKind) -> CourrielLu:
    """Read an .eml or .msg file in the sandbox's worker (under its limits), or raise `Illisible`."""
    return sandbox.run(read_here, path, kind)


def read_here(path: Path, kind: FileKind) -> CourrielLu:
    """Read an .eml or .msg file in this process (the worker's side of `read`)."""
    return (read_eml if kind == FileKind.EML else read_msg)(path)


@contextmanager
def work_folder(workspace: Workspace, what: str = "courriel") -> Iterator[Path]:
    """Yield a folder inside the workspace to unpack an e-mail in, removed afterwards; one left by a
    killed process is removed by the next e-mail or at the watcher's start."""
    storage.clean_work_folders(workspace)
    folder = storage.work_folder(workspace, what)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def unpack(courriel: CourrielLu, folder: Path) -> list[Piece]:
    """Write the attachments under their sanitised names, made unique, and sniff each."""
    pieces = []
    for piece in courriel.pieces:
        target = folder / piece.nom
        n = 1
        while target.exists():  # two attachments with one name: neither is written over
            n += 1
            target = folder / f"{Path(piece.nom).stem} ({n}){Path(piece.nom).suffix}"
        target.write_bytes(piece.contenu)
        pieces.append(Piece(target, sniff(target)))
    return pieces


def no_form_reason(courriel: CourrielLu) -> str:
    encrypted = (
        f", dont {courriel.chiffrees} chiffrée(s) en S/MIME, illisible(s) sans la clé privée du destinataire"
        if courriel.chiffrees
        else ""
    )
    return (
        f"courriel sans formulaire en pièce jointe (de {courriel.expediteur or 'expéditeur inconnu'}, "
        f"objet « {courriel.sujet} ») : {len(courriel.pieces)} pièce(s) jointe(s) non lisible(s) comme formulaire"
        f"{encrypted}"
    )


def summary(courriel: CourrielLu, results: Sequence[Resultat]) -> str:
    signed = " (signé)" if courriel.signe else ""
    return (
        f"courriel de {courriel.expediteur}{signed}, objet « {courriel.sujet} », {len(results)} pièce(s) jointe(s) "
        f"traitée(s) sur {len(courriel.pieces)}"
    )


def record(
    session: Session,
    workspace: Workspace,
    soumission_id: int,
    courriel: CourrielLu,
    pieces: Sequence[Piece],
    results: Sequence[Resultat],
) -> None:
    """Record the e-mail, archive every attachment, and link the submissions its forms became."""
    from sqlalchemy import update  # the database only where the e-mail is recorded, never in the reader

    from workflow.registry.models import Courriel, PieceJointeRow, Soumission

    by_name = {r.fichier: r for r in results}
    row = Courriel(
        soumission_id=soumission_id,
        expediteur=courriel.expediteur,
        destinataires=courriel.destinataires,
        date_envoi=courriel.date,
        sujet=courriel.sujet,
        message_id=courriel.message_id,
        corps=courriel.corps,
    )
    for piece in pieces:
        sha = storage.sha256(piece.path)
        kept = storage.archive(workspace, piece.path, sha, piece.kind)
        linked = by_name.get(piece.path.name)
        row.pieces.append(
            PieceJointeRow(
                nom=piece.path.name,
                sha256=sha,
                taille=piece.path.stat().st_size,
                type_fichier=piece.kind.value,
                chemin=str(kept.relative_to(workspace.root)),
                soumission_id=linked.soumission_id if linked else None,
            )
        )
    session.add(row)
    session.flush()
    ids = [r.soumission_id for r in results if r.soumission_id]
    session.execute(update(Soumission).where(Soumission.id.in_(ids)).values(courriel_id=row.id))
