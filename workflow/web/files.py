"""Pages that handle files: the quarantine, the upload (each file through `ingest()`), the documents.

No user-supplied name is ever a path on disk: uploads are written under a random name in a private
temporary folder, and a download is served only if it resolves inside the folder it belongs to.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.datastructures import UploadFile

from workflow.errors import CdvError
from workflow.intake import quarantine
from workflow.intake.ingest import ingest
from workflow.intake.types import Arrivee, Resultat, Source, Statut
from workflow.review import journal
from workflow.review.status import Action
from workflow.review.users import check_author
from workflow.web import sources
from workflow.web.app import Console, Refus, back, console, flash, form, local, parse_day, render, user
from workflow.web.pagination import paginate
from workflow.workspace import Workspace

router = APIRouter()
CHUNK = 1024 * 1024
DOWNLOADABLE = {".docx", ".pdf", ".xlsx", ".json", ".csv", ".zip"}


# --- Quarantine ---------------------------------------------------------------------------------


@router.get("/quarantaine")
def quarantine_page(request: Request) -> Response:
    state = console(request)
    found = quarantine.entries(state.workspace, state.registry)
    pages = paginate(request, len(found))
    return render(request, "quarantaine.html", fichiers=pages.rows(found), pagination=pages)


@router.get("/quarantaine/{nom}/telecharger")
def quarantine_download(request: Request, nom: str) -> Response:
    try:
        path = quarantine.find(console(request).workspace, nom)
    except CdvError as e:
        return render(request, "erreur.html", 404, message=str(e))
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


@router.post("/quarantaine/{nom}/reprendre")
def quarantine_retry(request: Request, nom: str) -> Response:
    state = console(request)
    try:
        path = quarantine.find(state.workspace, nom)
        result = quarantine.retry(state.workspace, state.registry, path, _who(state, request))
        kind = "ok" if result.statut != Statut.QUARANTAINE else "erreur"
        flash(request, kind, f"« {path.name} » : {result.statut.libelle} — {result.detail or result.motif}")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/quarantaine")


@router.get("/quarantaine/{nom}/supprimer")
def quarantine_confirm(request: Request, nom: str) -> Response:
    if not user(request).peut_agir:
        raise Refus(403, "Votre compte est en lecture seule : vous pouvez consulter, pas supprimer.")
    try:
        state = console(request)
        path = quarantine.find(state.workspace, nom)
    except CdvError as e:
        return render(request, "erreur.html", 404, message=str(e))
    found = next((e for e in quarantine.entries(state.workspace, state.registry) if e.path == path), None)
    return render(request, "supprimer.html", fichier=found or quarantine.EnQuarantaine(path, "", None, ""))


@router.post("/quarantaine/{nom}/supprimer")
def quarantine_delete(request: Request, nom: str) -> Response:
    state = console(request)
    try:
        path = quarantine.find(state.workspace, nom)
        quarantine.remove(state.workspace, state.registry, path, _who(state, request))
        flash(request, "ok", f"« {path.name} » retiré de la quarantaine ; sa copie reste dans les archives.")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/quarantaine")


def _who(state: Console, request: Request) -> str:
    """Return the acting user, checked by the same rule as the CLI's --auteur."""
    with state.registry.session() as session:
        return check_author(session, user(request).identifiant).identifiant


# --- Upload -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Depot:
    """What became of one uploaded file."""

    fichier: str
    statut: str  # Statut value, or "refuse" when it never reached ingest()
    libelle: str
    detail: str
    soumission_id: int | None = None


def safe_name(name: str | None) -> str:
    """Return a displayable file name: no folder, no control character, at most 150 characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return base[:150] or "fichier_sans_nom"


@router.get("/deposer")
def upload_page(request: Request) -> Response:
    return render(request, "deposer.html", depots=[], limite=console(request).max_file // CHUNK)


@router.post("/deposer")
def upload(request: Request) -> Response:
    state = console(request)
    who = _who(state, request)
    uploads = [f for f in form(request).getlist("fichiers") if isinstance(f, UploadFile) and f.filename]
    done = [_deposit(state, f, who) for f in uploads]
    erreur = "" if uploads else "Aucun fichier choisi."
    page = "_depots.html" if request.headers.get("hx-request") else "deposer.html"
    return render(request, page, depots=done, erreur=erreur, limite=state.max_file // CHUNK)


def _deposit(state: Console, upload: UploadFile, who: str) -> Depot:
    """Copy one upload under a random name, hand it to ingest(), and journal who brought it."""
    name = safe_name(upload.filename)
    folder = Path(tempfile.mkdtemp(prefix="cdv-depot-"))
    try:
        path = folder / "depot"
        if not _copy_limited(upload, path, state.max_file):
            limit = state.max_file // CHUNK
            return Depot(name, "refuse", "refusé", f"fichier de plus de {limit} Mo : non enregistré")
        result = ingest(state.workspace, state.registry, Arrivee(path, Source.WEB, nom=name))
        with state.registry.session() as session:
            journal.log(
                session, who, Action.DEPOT, result.soumission_id, champ=name, apres=result.statut.libelle,
                motif=result.detail or result.motif,
            )  # fmt: skip
        return _outcome(name, result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy_limited(upload: UploadFile, target: Path, limit: int) -> bool:
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                return False
            out.write(chunk)
    return True


def _outcome(name: str, result: Resultat) -> Depot:
    return Depot(name, result.statut.value, result.statut.libelle, result.detail or result.motif, result.soumission_id)


# --- Documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    cle: str
    titre: str
    fichiers: tuple[str, ...]  # paths under outbox/
    generer: Callable[[Workspace, Any, bool], list[Path]]


def _annexe(ws: Workspace, registry: Any, projet: bool) -> list[Path]:
    from workflow.render.annexe import render_engagements_annex

    return [render_engagements_annex(ws, registry, projet=projet)]


def _chartes(ws: Workspace, registry: Any, projet: bool) -> list[Path]:
    from workflow.render.chartes import render_charters

    return [render_charters(ws, registry, projet=projet)[1]]


def _objectifs(ws: Workspace, registry: Any, projet: bool) -> list[Path]:
    from workflow.render.objectifs import render_objectives_annex

    return [render_objectives_annex(ws, registry, projet=projet)]


def documents() -> list[Document]:
    from workflow.render import annexe, chartes, objectifs

    return [
        Document("annexe-engagements", "Annexe « Engagements des signataires »", (annexe.SORTIE,), _annexe),
        Document("chartes", "Chartes d'engagement des associations (annexe réunie)", (chartes.ANNEXE,), _chartes),
        Document("annexe-objectifs", "Annexe des objectifs opérationnels", (objectifs.SORTIE,), _objectifs),
    ]


@dataclass(frozen=True)
class Fichier:
    chemin: str
    modifie_le: dt.datetime
    taille: int


def _file(ws: Workspace, relative: str) -> Fichier | None:
    path = ws.outbox / relative
    if not path.is_file():
        return None
    stat = path.stat()
    return Fichier(relative, dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC), stat.st_size)


@router.get("/documents")
def documents_page(request: Request) -> Response:
    from workflow.copil import preparation

    state = console(request)
    ws = state.workspace
    listed = []
    for doc in documents():
        found = [_file(ws, name) for f in doc.fichiers for name in (f, str(Path(f).with_suffix(".pdf")))]
        listed.append((doc, [f for f in found if f is not None], sources.read(ws, ws.outbox / doc.fichiers[0])))
    with state.registry.session() as session:
        copils = [(c, preparation.dossier(ws, c).is_dir()) for c in preparation.liste(session)]
        return render(request, "documents.html", documents=listed, copils=copils, local=local)


@router.post("/documents/{cle}/generer")
def generate(request: Request, cle: str) -> Response:
    from workflow.libreoffice import convert

    state = console(request)
    chosen = next((d for d in documents() if d.cle == cle), None)
    if chosen is None:
        return render(request, "erreur.html", 404, message=f"Document inconnu : « {cle} ».")
    projet, pdf = bool(form(request).get("projet")), bool(form(request).get("pdf"))
    try:
        who = _who(state, request)
        with state.registry.session() as session:
            origines = sources.selected(session, cle, projet)
        written = chosen.generer(state.workspace, state.registry, projet)
        sources.record(state.workspace, written[0], who, projet, origines)
        if pdf:
            written += [convert(p, "pdf", p.parent) for p in written]
        names = ", ".join(p.name for p in written)
        flash(request, "ok", f"{chosen.titre} générée{' (projet)' if projet else ''} : {names}.")
    except CdvError as e:
        flash(request, "erreur", f"Génération impossible : {e}")
    return back("/documents")


@router.get("/documents/fichier/{chemin:path}")
def document_download(request: Request, chemin: str) -> Response:
    """Send a file of outbox/ (one of the kinds it writes) as an attachment."""
    outbox = console(request).workspace.outbox.resolve()
    path = (outbox / chemin).resolve()
    if not path.is_relative_to(outbox) or not path.is_file() or path.suffix.lower() not in DOWNLOADABLE:
        return render(request, "erreur.html", 404, message=f"Aucun document « {chemin} ».")
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


@router.post("/documents/copil")
def copil_add(request: Request) -> Response:
    from workflow.copil import preparation

    state = console(request)
    text = str(form(request).get("date", ""))
    day = parse_day(text)
    if day is None:
        flash(request, "erreur", f"Date illisible : « {text} » (exemple : 14/03/2025).")
        return back("/documents")
    try:
        _who(state, request)
        with state.registry.session() as session:
            added = preparation.ajouter(session, dt.datetime.combine(day, dt.time(9, 0)), "")
            flash(request, "ok", f"COPIL ajouté : {added.libelle}.")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/documents")


@router.post("/documents/copil/{jour}/preparer")
def copil_prepare(request: Request, jour: dt.date) -> Response:
    from workflow.copil import preparation

    state = console(request)
    try:
        _who(state, request)
        folder = preparation.preparer(state.workspace, state.registry, jour)
        flash(request, "ok", f"Dossier du COPIL du {jour:%d/%m/%Y} préparé ({folder.name}).")
    except CdvError as e:
        flash(request, "erreur", f"Préparation impossible : {e}")
    return back("/documents")


@router.get("/documents/copil/{jour}.zip")
def copil_zip(request: Request, jour: dt.date) -> Response:
    """Send the prepared COPIL folder as one zip."""
    folder = console(request).workspace.outbox / f"copil_{jour:%Y-%m-%d}"
    if not folder.is_dir():
        return render(request, "erreur.html", 404, message=f"Le dossier du COPIL du {jour:%d/%m/%Y} n'est pas préparé.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, str(Path(folder.name) / path.relative_to(folder)))
    headers = {"Content-Disposition": f'attachment; filename="{folder.name}.zip"'}
    return Response(buffer.getvalue(), media_type="application/zip", headers=headers)
