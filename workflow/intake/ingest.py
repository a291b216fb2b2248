"""Ingest: the one entry every source uses (command line, watched inbox, mailbox).

inbox → sniff → parse → recognise → extract → validate → record → archive, or quarantine.
Every file ends in exactly one place: archived and recorded, or in quarantine beside a report.
The original is removed only after the registry commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.answers import FicheAssociation, Questionnaire, TypeFormulaire
from workflow.extract.association import extract_association
from workflow.extract.questionnaire import extract_questionnaire
from workflow.fr import datetime_fr
from workflow.intake.recognise import recognise
from workflow.intake.record import record_association, record_questionnaire
from workflow.parsers import Illisible, Motif, parser_for
from workflow.parsers.sniff import FileKind, sniff
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import Soumission
from workflow.validation.association import validate_association
from workflow.validation.questionnaire import validate_questionnaire
from workflow.workspace import Workspace

log = logging.getLogger(__name__)
ERREUR_INTERNE = "erreur_interne"


class Statut(StrEnum):
    ENREGISTRE = "enregistre"
    DOUBLON = "doublon"
    QUARANTAINE = "quarantaine"

    @property
    def libelle(self) -> str:
        """Return the word shown to users."""
        return {"enregistre": "enregistré"}.get(self.value, self.value)


@dataclass(frozen=True)
class Arrivee:
    """A file handed to the pipeline, whatever brought it."""

    path: Path
    source: str = "commande"  # "commande", "dossier" or "courriel"
    nom: str | None = None  # original file name when it differs from the path's
    deplacer: bool = False  # remove the original once it is recorded or quarantined
    profondeur: int = 0  # e-mails nested in e-mails


@dataclass(frozen=True)
class Resultat:
    fichier: str
    statut: Statut
    sha256: str
    type_fichier: str
    motif: str = ""
    detail: str = ""
    erreur_interne: bool = False
    soumission_id: int | None = None
    pieces: tuple[Resultat, ...] = ()  # what became of an e-mail's attachments


@dataclass(frozen=True)
class Analyse:
    kind: FileKind
    parseur: str
    formulaire: TypeFormulaire
    questionnaire: Questionnaire | None = None
    fiche: FicheAssociation | None = None


def analyse(path: Path, kind: FileKind, ref: Referentiel, received: dt.datetime) -> Analyse:
    """Read a file into a validated questionnaire, or raise `Illisible` saying why not."""
    name, reader = parser_for(kind)
    contenu = reader(path)
    if not any(u.text.strip() for u in contenu.units) and not contenu.controls:
        raise Illisible(Motif.SANS_TEXTE, "document sans aucun texte lisible")
    found = recognise(contenu, ref)
    if found.type is None:
        raise Illisible(
            Motif.NON_FORMULAIRE,
            "ce document n'est ni un questionnaire d'engagement ni une fiche association : ni les questions du "
            f"questionnaire, ni les champs de la fiche n'y ont été trouvés ({found.indices})",
        )
    if found.type == TypeFormulaire.ASSOCIATION:
        fiche = validate_association(extract_association(contenu, ref), ref)
        return Analyse(kind, name, found.type, fiche=fiche)
    reponses = extract_questionnaire(contenu, ref, list(found.anchors))
    return Analyse(kind, name, found.type, questionnaire=validate_questionnaire(reponses, ref, received))


def ingest(workspace: Workspace, registry: Registry, arrivee: Arrivee) -> Resultat:
    """Take one file through the pipeline and return what became of it."""
    nom = arrivee.nom or arrivee.path.name
    received = dt.datetime.now(dt.UTC)
    sha = sha256(arrivee.path)
    size = arrivee.path.stat().st_size
    origine, mtime = _origine(workspace, arrivee)
    base = dict(
        fichier=nom,
        sha256=sha,
        taille=size,
        recu_le=received,
        source=arrivee.source,
        origine=origine,
        origine_mtime_ns=mtime,
    )
    with registry.session() as session:
        replay = _already_taken(session, sha, origine, mtime)
    if replay is not None:  # recorded before an interruption, not yet removed: finish the job
        release(arrivee)
        return Resultat(
            nom,
            Statut(replay.statut),
            sha,
            replay.type_fichier,
            replay.motif,
            "déjà traité avant une interruption : retiré de la boîte de dépôt",
            soumission_id=replay.id,
        )
    with registry.session() as session:
        first = session.scalar(
            select(Soumission)
            .where(Soumission.sha256 == sha, Soumission.statut == Statut.ENREGISTRE)
            .order_by(Soumission.id)
            .limit(1)
        )
        if first is not None:
            motif = f"déjà reçu le {datetime_fr(first.recu_le)} sous le nom « {first.fichier} »"
            again = Soumission(
                **base,
                type_fichier=first.type_fichier,
                type_formulaire=first.type_formulaire,
                parseur=first.parseur,
                statut=Statut.DOUBLON,
                motif=motif,
                chemin=first.chemin,
                doublon_de_id=first.id,
            )
            session.add(again)
            session.flush()
            again_id = again.id
    if first is not None:
        release(arrivee)
        return Resultat(nom, Statut.DOUBLON, sha, first.type_fichier, motif, soumission_id=again_id)
    kind = sniff(arrivee.path)
    if kind in (FileKind.EML, FileKind.MSG):
        from workflow.intake.attachments import ingest_email

        return ingest_email(workspace, registry, arrivee, base, kind)
    try:
        result = analyse(arrivee.path, kind, workspace.referentiel, received)
    except Illisible as e:
        return quarantine(workspace, registry, arrivee, base, e.motif.value, e.detail)
    except Exception as e:  # a bug must not lose the file nor stop the batch
        log.exception("Erreur interne sur %s", nom)
        return quarantine(
            workspace,
            registry,
            arrivee,
            base,
            ERREUR_INTERNE,
            f"erreur interne pendant la lecture ({type(e).__name__} : {e})",
            internal=True,
        )
    archived = archive(workspace, arrivee.path, sha, result.kind)
    with registry.session() as session:
        soumission = Soumission(
            **base,
            type_fichier=result.kind.value,
            type_formulaire=result.formulaire.value,
            parseur=result.parseur,
            statut=Statut.ENREGISTRE,
            motif="",
            chemin=str(archived.relative_to(workspace.root)),
        )
        session.add(soumission)
        session.flush()
        detail = _record(session, soumission, result)
        soumission_id = soumission.id
    release(arrivee)
    return Resultat(nom, Statut.ENREGISTRE, sha, result.kind.value, detail=detail, soumission_id=soumission_id)


def _record(session: Session, soumission: Soumission, result: Analyse) -> str:
    """Record the questionnaire or the association form; return the line shown to the user."""
    if result.fiche is not None:
        fiche = result.fiche
        saved = record_association(session, soumission, fiche)
        name = fiche.identite["association_nom"] or "association sans nom"
        return f"fiche association de {name}, version {saved.version}, {len(fiche.alertes)} alerte(s)"
    q = result.questionnaire
    assert q is not None  # an Analyse holds one of the two
    version = record_questionnaire(session, soumission, q)
    return (
        f"questionnaire de {q.organisme}, campagne {q.campagne}, version {version.version}, {len(q.alertes)} alerte(s)"
    )


def _origine(workspace: Workspace, arrivee: Arrivee) -> tuple[str, int | None]:
    """Return where in the inbox a file was taken from, and its mtime, to tell a replay apart."""
    if not arrivee.deplacer:
        return "", None
    path = arrivee.path.resolve()
    where = str(path.relative_to(workspace.root)) if path.is_relative_to(workspace.root) else str(path)
    return where, path.stat().st_mtime_ns


def _already_taken(session: Session, sha: str, origine: str, mtime: int | None) -> Soumission | None:
    if not origine:
        return None
    return session.scalar(
        select(Soumission)
        .where(Soumission.sha256 == sha, Soumission.origine == origine, Soumission.origine_mtime_ns == mtime)
        .order_by(Soumission.id.desc())
        .limit(1)
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive(workspace: Workspace, path: Path, sha: str, kind: FileKind) -> Path:
    """Copy the original under registry/archives/, named by its hash (idempotent)."""
    target = workspace.archive / sha[:2] / f"{sha}.{kind.value}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    return target


def quarantine(
    workspace: Workspace,
    registry: Registry,
    arrivee: Arrivee,
    base: dict,
    code: str,
    detail: str,
    internal: bool = False,
) -> Resultat:
    """Put the file in inbox/quarantaine/ beside a French report, and record the refusal."""
    nom = str(base["fichier"])
    workspace.quarantine.mkdir(parents=True, exist_ok=True)
    target = _free_name(workspace.quarantine, _safe_name(nom))
    if arrivee.deplacer:
        shutil.move(str(arrivee.path), target)
    else:
        shutil.copyfile(arrivee.path, target)
    report = target.with_name(target.name + ".txt")
    report.write_text(
        f"Fichier : {nom}\nReçu le : {datetime_fr(base['recu_le'].astimezone())}\n"
        f"Empreinte SHA-256 : {base['sha256']}\nMotif : {detail}\nCode du motif : {code}\n\n"
        "Que faire : vérifier le fichier, demander au partenaire un formulaire .docx lisible si besoin, "
        "puis déposer la version corrigée dans inbox/.\n",
        encoding="utf-8",
    )
    with registry.session() as session:
        soumission = Soumission(
            **base,
            type_fichier=_kind_of(target),
            statut=Statut.QUARANTAINE,
            motif=detail,
            chemin=str(target.relative_to(workspace.root)),
        )
        session.add(soumission)
        session.flush()
        soumission_id = soumission.id
    return Resultat(
        nom,
        Statut.QUARANTAINE,
        str(base["sha256"]),
        _kind_of(target),
        detail,
        erreur_interne=internal,
        soumission_id=soumission_id,
    )


def _kind_of(path: Path) -> str:
    try:
        return sniff(path).value
    except OSError:
        return FileKind.UNKNOWN.value


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else "_" for c in Path(name).name)
    return cleaned.strip(". ") or "fichier"


def _free_name(folder: Path, name: str) -> Path:
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while candidate.exists() or candidate.with_name(candidate.name + ".txt").exists():
        n += 1
        candidate = folder / f"{stem} ({n}){suffix}"
    return candidate


def release(arrivee: Arrivee) -> None:
    if arrivee.deplacer and arrivee.path.exists():
        arrivee.path.unlink()
