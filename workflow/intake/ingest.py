"""Ingest: the one entry every source uses (command line, watched inbox, mailbox, quarantine retry).

inbox → sniff → parse → recognise → extract → validate → record → archive, or quarantine.
Every file ends in exactly one place: recorded, or in quarantine beside a French report; every
original is archived by hash first. Save, then move: the file leaves its folder only after the
registry commit, and the submission then notes it left, so that a file found again after an
interruption is finished, while the same file put back by a person (a retry) is taken again.

Each file costs one read of the registry before the reading (interrupted run, duplicate) and one
transaction with one flush after it (submission, review, version together; a questionnaire's rows
then in one INSERT per table); a file taken from the inbox adds the note that it left, once it has.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from workflow.answers import FicheAssociation, TypeFormulaire
from workflow.fr import datetime_fr
from workflow.intake import attachments, storage
from workflow.intake.document import analyse
from workflow.intake.record import record_association, record_questionnaire, record_rows
from workflow.intake.types import Analyse, Arrivee, Reception, Resultat, Source, Statut
from workflow.parsers import Illisible, Motif
from workflow.parsers.sniff import FileKind, sniff
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import Soumission
from workflow.render.typographie import de_nom, nombre
from workflow.review.carry import carry_over
from workflow.review.dossier import open_review
from workflow.review.fields import Version
from workflow.workspace import Workspace

log = logging.getLogger(__name__)
ERREUR_INTERNE = "erreur_interne"

__all__ = ["Arrivee", "Lecteur", "Resultat", "Source", "Statut", "analyse", "ingest"]


Lecteur = Callable[[Path, FileKind, Referentiel, dt.datetime], Analyse]


def ingest(workspace: Workspace, registry: Registry, arrivee: Arrivee, read: Lecteur | None = None) -> Resultat:
    """Take one file through the pipeline and return what became of it; `read`: the reading
    stage, `analyse` unless a batch hands in the reading it did ahead (`batch.ingest_all`)."""
    refus = storage.not_regular(arrivee.path, follow=not arrivee.deplacer)
    try:
        reception = _receive(workspace, arrivee, hashed=refus is None)
    except storage.PasUnFichier:  # replaced by a pipe or a device since the look above
        refus = "pas un fichier ordinaire : il n'est jamais lu"
        reception = _receive(workspace, arrivee, hashed=False)
    with registry.session() as session:
        pending = _interrupted(session, reception)
        duplicate = None if pending is not None or refus is not None else _duplicate(session, arrivee, reception)
    if pending is not None:
        return _finish(workspace, registry, arrivee, reception, pending)
    if refus is not None:
        return quarantine(workspace, registry, arrivee, reception, Motif.TYPE_NON_PRIS_EN_CHARGE.value, refus)
    if duplicate is not None:
        _release(workspace, registry, arrivee, duplicate.soumission_id)
        return duplicate
    try:
        kind = sniff(arrivee.path)
        if kind in (FileKind.EML, FileKind.MSG):
            return _ingest_email(workspace, registry, arrivee, reception, kind)
        result = (read or analyse)(arrivee.path, kind, workspace.referentiel, reception.recu_le)
    except Illisible as e:
        return quarantine(workspace, registry, arrivee, reception, e.motif.value, e.detail)
    except Exception as e:  # a bug must not lose the file nor stop the batch
        log.exception("Erreur interne sur %s : %s", reception.fichier, type(e).__name__)
        detail = "erreur interne pendant la lecture : le détail est dans le journal de l'outil"
        return quarantine(workspace, registry, arrivee, reception, ERREUR_INTERNE, detail, internal=True)
    return record(workspace, registry, arrivee, reception, result)


def _receive(workspace: Workspace, arrivee: Arrivee, hashed: bool = True) -> Reception:
    """Hash the file and note where it was taken from, to tell an interrupted run apart.

    What is not a regular file is never opened: no hash, no size."""
    origine, mtime = "", None
    if arrivee.deplacer:
        path = arrivee.path.parent.resolve() / arrivee.path.name  # a link itself, never its target
        origine = str(path.relative_to(workspace.root)) if path.is_relative_to(workspace.root) else str(path)
        mtime = path.lstat().st_mtime_ns
    return Reception(
        fichier=arrivee.fichier,
        sha256=storage.sha256(arrivee.path) if hashed else "",
        taille=arrivee.path.stat().st_size if hashed else 0,
        recu_le=dt.datetime.now(dt.UTC),
        source=arrivee.source,
        origine=origine,
        origine_mtime_ns=mtime,
    )


def _row(arrivee: Arrivee, reception: Reception, statut: Statut, **fields: object) -> Soumission:
    """Return the submission row of this arrival; a file not taken from a folder has left it already."""
    return Soumission(
        fichier=reception.fichier,
        sha256=reception.sha256,
        taille=reception.taille,
        recu_le=reception.recu_le,
        source=reception.source.value,
        origine=reception.origine,
        origine_mtime_ns=reception.origine_mtime_ns,
        statut=statut.value,
        libere_le=None if arrivee.deplacer else dt.datetime.now(dt.UTC),
        **fields,
    )


def _recorded(
    workspace: Workspace, arrivee: Arrivee, reception: Reception, kind: FileKind, formulaire: str, parseur: str
) -> Soumission:
    """Archive the original by its hash and return the row that records it (not yet added)."""
    archived = storage.archive(workspace, arrivee.path, reception.sha256, kind)
    return _row(
        arrivee,
        reception,
        Statut.ENREGISTRE,
        type_fichier=kind.value,
        type_formulaire=formulaire,
        parseur=parseur,
        motif="",
        chemin=str(archived.relative_to(workspace.root)),
    )


def _interrupted(session: Session, reception: Reception) -> Soumission | None:
    """Return the submission recorded for this very inbox file but stopped before the file left."""
    if not reception.origine:
        return None
    found = {"sha256": reception.sha256, "origine": reception.origine, "mtime": reception.origine_mtime_ns}
    return session.scalar(_INTERRUPTED, found)


# the statements of every file, built once: building one costs more than running it
_INTERRUPTED = (
    select(Soumission)
    .where(
        Soumission.sha256 == bindparam("sha256"),
        Soumission.origine == bindparam("origine"),
        Soumission.origine_mtime_ns == bindparam("mtime"),
        Soumission.libere_le.is_(None),
    )
    .order_by(Soumission.id.desc())
    .limit(1)
)
_FIRST_RECORDED = (
    select(Soumission)
    .where(Soumission.sha256 == bindparam("sha256"), Soumission.statut == Statut.ENREGISTRE)
    .order_by(Soumission.id)
    .limit(1)
)


def _finish(
    workspace: Workspace, registry: Registry, arrivee: Arrivee, reception: Reception, pending: Soumission
) -> Resultat:
    """Complete what an interrupted run had recorded: the move to quarantine, or the removal."""
    if pending.statut == Statut.QUARANTAINE:
        target = workspace.root / pending.chemin
        if target.exists():
            target = storage.quarantine_target(workspace, arrivee)
        storage.place_in_quarantine(arrivee, target, reception, "", pending.motif)
        with registry.session() as session:
            session.execute(
                update(Soumission)
                .where(Soumission.id == pending.id)
                .values(chemin=str(target.relative_to(workspace.root)))
            )
    else:
        storage.release(workspace, arrivee)
    _mark_released(registry, pending.id)
    return Resultat(
        reception.fichier,
        Statut(pending.statut),
        reception.sha256,
        pending.type_fichier,
        pending.motif,
        "déjà traité avant une interruption : retiré de la boîte de dépôt",
        soumission_id=pending.id,
    )


def _duplicate(session: Session, arrivee: Arrivee, reception: Reception) -> Resultat | None:
    """Note a second arrival of bytes already recorded (the caller then takes the copy out of the inbox)."""
    first = session.scalar(_FIRST_RECORDED, {"sha256": reception.sha256})
    if first is None:
        return None
    motif = f"déjà reçu le {datetime_fr(first.recu_le)} sous le nom « {first.fichier} »"
    again = _row(
        arrivee,
        reception,
        Statut.DOUBLON,
        type_fichier=first.type_fichier,
        type_formulaire=first.type_formulaire,
        parseur=first.parseur,
        motif=motif,
        chemin=first.chemin,
        doublon_de_id=first.id,
    )
    session.add(again)
    session.flush()
    return Resultat(
        reception.fichier, Statut.DOUBLON, reception.sha256, first.type_fichier, motif, soumission_id=again.id
    )


def record(
    workspace: Workspace, registry: Registry, arrivee: Arrivee, reception: Reception, result: Analyse
) -> Resultat:
    """Archive a file read into `result` and record it (`ingest`'s last stage; bench/ builds its
    large registries through it)."""
    soumission = _recorded(workspace, arrivee, reception, result.kind, result.type.value, result.parseur)
    if result.ocr_pdf is not None:  # a scan: its OCR'd PDF is kept beside the original
        storage.archive_ocr(workspace, reception.sha256, result.ocr_pdf)
    with registry.session() as session:
        detail = _record_form(session, workspace.referentiel, soumission, result)
        soumission_id = soumission.id
    _release(workspace, registry, arrivee, soumission_id)
    return Resultat(
        reception.fichier,
        Statut.ENREGISTRE,
        reception.sha256,
        result.kind.value,
        detail=detail,
        soumission_id=soumission_id,
    )


def _record_form(session: Session, ref: Referentiel, soumission: Soumission, result: Analyse) -> str:
    """Record the form for review, with the corrections of its previous version carried over;
    return the line shown to the user."""
    form = result.formulaire
    questionnaire = None
    if isinstance(form, FicheAssociation):
        saved: Version = record_association(session, soumission, form)
        what = f"fiche association {de_nom(form.identite['association_nom'] or 'association sans nom', '')}"
    else:
        saved = questionnaire = record_questionnaire(session, soumission, form)
        what = f"questionnaire {de_nom(form.organisme, '')}, campagne {form.campagne}"  # « d’Emmaüs »
    open_review(session, soumission)
    session.flush()  # the one flush: submission, review, version (and a questionnaire's alerts)
    if questionnaire is not None and not isinstance(form, FicheAssociation):
        record_rows(session, questionnaire, form)  # a few dozen rows: one multi-row INSERT per table
    carried = carry_over(session, ref, saved)
    kept = f", {nombre(carried, 'correction reprise', 'corrections reprises')}" if carried else ""
    return f"{what}, version {saved.version}, {nombre(len(saved.alertes), 'alerte', 'alertes')}{kept}"


def quarantine(
    workspace: Workspace,
    registry: Registry,
    arrivee: Arrivee,
    reception: Reception,
    code: str,
    detail: str,
    internal: bool = False,
) -> Resultat:
    """Archive the original, record the refusal, then put the file in quarantine beside a French report."""
    kind = storage.kind_of(arrivee.path)
    if reception.sha256:  # a pipe, a device or a link has nothing to archive
        storage.archive(workspace, arrivee.path, reception.sha256, kind)
    target = storage.quarantine_target(workspace, arrivee)
    with registry.session() as session:
        soumission = _row(
            arrivee,
            reception,
            Statut.QUARANTAINE,
            type_fichier=kind.value,
            motif=detail,
            chemin=str(target.relative_to(workspace.root)),
        )
        session.add(soumission)
        session.flush()
        soumission_id = soumission.id
    storage.place_in_quarantine(arrivee, target, reception, code, detail)
    if arrivee.deplacer:
        _mark_released(registry, soumission_id)
    return Resultat(
        reception.fichier,
        Statut.QUARANTAINE,
        reception.sha256,
        kind.value,
        detail,
        erreur_interne=internal,
        soumission_id=soumission_id,
    )


def settle_released(workspace: Workspace, registry: Registry) -> int:
    """Note as gone the inbox files a killed process removed before it could say so; return how many.

    Without this, the same bytes put back later under the same name and mtime would pass for an
    interrupted run and not be taken again."""
    settled = 0
    with registry.session() as session:
        stranded = session.scalars(
            select(Soumission).where(Soumission.libere_le.is_(None), Soumission.origine != "")
        ).all()
        for row in stranded:
            origin = Path(row.origine)
            if not os.path.lexists(origin if origin.is_absolute() else workspace.root / origin):
                row.libere_le = dt.datetime.now(dt.UTC)
                settled += 1
    return settled


def _release(workspace: Workspace, registry: Registry, arrivee: Arrivee, soumission_id: int | None) -> None:
    """Take a recorded file out of its folder, then note that it left (save, then move)."""
    storage.release(workspace, arrivee)
    if arrivee.deplacer and soumission_id is not None:
        _mark_released(registry, soumission_id)


def _mark_released(registry: Registry, soumission_id: int) -> None:
    with registry.session() as session:
        session.execute(
            update(Soumission).where(Soumission.id == soumission_id).values(libere_le=dt.datetime.now(dt.UTC))
        )


def _ingest_email(
    workspace: Workspace, registry: Registry, arrivee: Arrivee, reception: Reception, kind: FileKind
) -> Resultat:
    """Take an .eml or .msg file: each form attachment through `ingest`, then the e-mail itself."""
    courriel = attachments.read(arrivee.path, kind)
    if arrivee.profondeur >= attachments.MAX_DEPTH:
        raise Illisible(Motif.TYPE_NON_PRIS_EN_CHARGE, "courriels imbriqués trop profondément les uns dans les autres")
    with attachments.work_folder(workspace) as tmp:
        pieces = attachments.unpack(courriel, Path(tmp))
        forms = [p for p in pieces if p.kind in attachments.DOCUMENTS]
        if not forms:
            raise Illisible(Motif.NON_FORMULAIRE, attachments.no_form_reason(courriel))
        results = [
            ingest(
                workspace,
                registry,
                Arrivee(p.path, Source.COURRIEL, nom=p.path.name, profondeur=arrivee.profondeur + 1),
            )
            for p in forms
        ]
        soumission = _recorded(workspace, arrivee, reception, kind, TypeFormulaire.COURRIEL.value, kind.value)
        with registry.session() as session:
            session.add(soumission)
            session.flush()
            attachments.record(session, workspace, soumission.id, courriel, pieces, results)
            email_id = soumission.id
    _release(workspace, registry, arrivee, email_id)
    return Resultat(
        reception.fichier,
        Statut.ENREGISTRE,
        reception.sha256,
        kind.value,
        detail=attachments.summary(courriel, results),
        soumission_id=email_id,
        pieces=tuple(results),
        erreur_interne=any(r.erreur_interne for r in results),
    )
