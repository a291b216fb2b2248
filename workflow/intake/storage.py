"""Where files go: the archive by hash, the quarantine beside a French report, out of the inbox.

Every original is copied into the archive before anything is recorded; a file leaves the inbox
only after the registry commit, so a crash never loses one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from workflow.fr import datetime_fr
from workflow.intake.types import Arrivee, Reception
from workflow.parsers.sniff import FileKind, sniff
from workflow.workspace import Workspace

REPORT_SUFFIX = ".txt"
REPORT_HEAD = "Fichier : "
WORK = ".travail"  # under registry/: a folder per e-mail being unpacked, named after its process


class PasUnFichier(OSError):
    """The path names a pipe, a device, a socket or a link: it is never opened for reading."""


_SPECIAL = (
    (stat.S_ISFIFO, "tube nommé (FIFO)"),
    (stat.S_ISCHR, "périphérique"),
    (stat.S_ISBLK, "périphérique"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "dossier"),
)


def not_regular(path: Path, follow: bool) -> str | None:
    """Return in French why `path` is not a regular file to take, or None when it is one.

    A link is followed only when `follow` (a file named on the command line), never in the inbox:
    it could lead anywhere on the machine."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            if not follow:
                return "lien symbolique : l'outil ne suit pas les liens déposés, déposer le fichier lui-même"
            mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "lien symbolique vers un fichier absent" if os.path.islink(path) else None
    if stat.S_ISREG(mode):
        return None
    what = next((name for test, name in _SPECIAL if test(mode)), "fichier spécial")
    return f"{what}, pas un fichier ordinaire : il n'est jamais lu"


def is_regular(path: Path) -> bool:
    """Whether `path` itself (not what a link points to) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading; a pipe or device swapped in meanwhile is refused, never waited on."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise PasUnFichier(f"pas un fichier ordinaire : {path.name}")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path(workspace: Workspace, sha: str, kind: FileKind | str) -> Path:
    """Return where the original with this hash is kept."""
    return workspace.archive / sha[:2] / f"{sha}.{FileKind(kind).value}"


def archive(workspace: Workspace, path: Path, sha: str, kind: FileKind) -> Path:
    """Copy the original under registry/archives/, named by its hash (idempotent, atomic)."""
    target = archive_path(workspace, sha, kind)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{os.getpid()}-", suffix=".tmp")
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    return target


def archive_ocr(workspace: Workspace, sha: str, data: bytes) -> Path:
    """Keep the OCR'd PDF of a scan beside its original in the archive (`<hash>.ocr.pdf`), atomically."""
    target = workspace.archive / sha[:2] / f"{sha}.ocr.pdf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{os.getpid()}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    return target


def clean_leftovers(workspace: Workspace, older_than: float = 3600.0) -> int:
    """Remove the temporary copies (archive, quarantine reports) and the e-mail work folders left by a
    killed process; return how many.

    A copy is taken away when the process named in it is gone, or when it is older than `older_than`
    (a copy still being written by another command is younger, and its process alive)."""
    removed = 0
    limit = time.time() - older_than
    for tmp in [*workspace.archive.glob("*/.*.tmp"), *workspace.quarantine.glob(".*.tmp")]:
        if is_regular(tmp) and (not _writer_alive(tmp.name[1:]) or tmp.stat().st_mtime < limit):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed + clean_work_folders(workspace, older_than)


def work_folder(workspace: Workspace, what: str) -> Path:
    """Create and return a private folder for unpacking one e-mail (`what`: courriel, imap), inside the
    workspace so that the start-up sweep finds it after a kill; its creator removes it."""
    parent = workspace.registry / WORK
    parent.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(dir=parent, prefix=f"{os.getpid()}-{what}-"))


def clean_work_folders(workspace: Workspace, older_than: float = 86400.0) -> int:
    """Remove the work folders whose process is gone (or older than a day); return how many."""
    parent = workspace.registry / WORK
    if not parent.is_dir():
        return 0
    removed = 0
    limit = time.time() - older_than
    for folder in parent.iterdir():
        if folder.is_symlink() or not folder.is_dir():
            continue
        if not _writer_alive(folder.name) or folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _writer_alive(name: str) -> bool:
    """Whether the process whose id starts a temporary name ("1234-…") still runs; unknown means alive."""
    pid = name.split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kind_of(path: Path) -> FileKind:
    if not is_regular(path):
        return FileKind.UNKNOWN
    try:
        return sniff(path)
    except OSError:
        return FileKind.UNKNOWN


def quarantine_target(workspace: Workspace, arrivee: Arrivee) -> Path:
    """Return the free name in inbox/quarantaine/ for this file (a file taken from there keeps its own)."""
    if arrivee.path.parent.resolve() == workspace.quarantine.resolve():
        return arrivee.path
    return _free_name(workspace.quarantine, _safe_name(arrivee.fichier))


def report_of(path: Path) -> Path:
    return path.with_name(path.name + REPORT_SUFFIX)


def is_report(path: Path) -> bool:
    """Tell our French reports apart from a quarantined file that happens to be a .txt."""
    if not path.name.endswith(REPORT_SUFFIX) or not is_regular(path):
        return False
    with path.open("rb") as fh:
        return fh.read(len(REPORT_HEAD.encode())) == REPORT_HEAD.encode()


def place_in_quarantine(arrivee: Arrivee, target: Path, reception: Reception, code: str, detail: str) -> None:
    """Write the French report, then move (or copy) the file beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(report_of(target), _report(reception, target, code, detail))
    if arrivee.path.resolve() == target.resolve():
        return
    if not is_regular(arrivee.path):  # a link or a pipe is moved as it is (never read), or left alone
        if arrivee.deplacer:
            os.rename(arrivee.path, target)
        return
    if arrivee.deplacer:
        shutil.move(str(arrivee.path), target)
    else:
        shutil.copyfile(arrivee.path, target)


def release(workspace: Workspace, arrivee: Arrivee) -> None:
    """Remove a recorded original from the folder it was dropped in (and its quarantine report)."""
    if not arrivee.deplacer:
        return
    arrivee.path.unlink(missing_ok=True)
    if arrivee.path.parent.resolve() == workspace.quarantine.resolve():
        report_of(arrivee.path).unlink(missing_ok=True)


def _report(reception: Reception, target: Path, code: str, detail: str) -> str:
    return (
        f"{REPORT_HEAD}{reception.fichier}\nReçu le : {datetime_fr(reception.recu_le.astimezone())}\n"
        f"Empreinte SHA-256 : {reception.sha256}\nMotif : {detail}\n"
        + (f"Code du motif : {code}\n" if code else "")
        + "\n"
        "Que faire : vérifier le fichier, demander au partenaire un formulaire .docx lisible si besoin, "
        "puis déposer la version corrigée dans inbox/ ; pour réessayer ce fichier tel quel : "
        f"cdv quarantaine reprendre « {target.name} », ou le remettre dans inbox/.\n"
    )


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{os.getpid()}-{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else "_" for c in Path(name).name)
    return cleaned.strip(". ") or "fichier"


def _free_name(folder: Path, name: str) -> Path:
    """Return the first name not taken by a file (a report left alone by a retried file is reused)."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem} ({n}){suffix}"
    return candidate
