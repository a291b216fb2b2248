#!/usr/bin/env python3
"""Set-up and entry point on a fresh machine with only python3.

    python3 run.py demo    # environment + demo workspace, whole chain run in demo/
    python3 run.py tests   # environment + LibreOffice + a throwaway PostgreSQL, then pytest
    python3 run.py bench   # benchmarks of bench/, printed as ratios
    python3 run.py qualite # the gates CI runs before the tests: ruff check, ruff format --check, mypy

Everything is installed here: the virtual environment (.venv/), the package and its
dependencies, and, when running as root, the Debian packages the product needs.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".cdv-installe"
PG_PORT = 54329


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def sh(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=True, **kwargs)


def apt_install(*packages: str) -> None:
    """Install Debian packages when root; otherwise say what is missing."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say(f"paquets système absents (à installer par un administrateur) : {' '.join(packages)}")
        return
    say(f"installation des paquets système : {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "update", "-qq", env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env, stdout=subprocess.DEVNULL)


def ensure_venv() -> None:
    if not PY.exists():
        try:
            sh(sys.executable, "-m", "venv", VENV)
        except subprocess.CalledProcessError:
            shutil.rmtree(VENV, ignore_errors=True)
            apt_install("python3-venv")
            sh(sys.executable, "-m", "venv", VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        say("installation du paquet et de ses dépendances dans .venv/")
        ensure_icu()
        sh(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
        sh(PY, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]")
        STAMP.write_text(wanted)


def ensure_icu() -> None:
    """PyICU (French collation) is built against the system's ICU: headers, pkg-config, a compiler."""
    if not shutil.which("pkg-config") or subprocess.call(["pkg-config", "--exists", "icu-i18n"]) != 0:
        apt_install("libicu-dev", "pkg-config", "g++", "python3-dev")


def ensure_libreoffice() -> None:
    """LibreOffice for the conversions, Calc for the workbooks, and fonts with Calibri's and Cambria's
    metrics (Carlito, Caladea) so that a PDF is laid out page for page as Word lays out the .docx."""
    fonts = Path("/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf")
    uno = Path("/usr/lib/python3/dist-packages/uno.py")  # the long-lived converter drives LibreOffice over UNO
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or not fonts.exists() or not uno.exists():
        apt_install(
            "libreoffice-writer-nogui",
            "libreoffice-calc-nogui",
            "python3-uno",
            "fonts-dejavu-core",
            "fonts-crosextra-carlito",
            "fonts-crosextra-caladea",
        )


def ensure_ocr() -> None:
    """Scans and photos are read by OCRmyPDF and Tesseract with its French data; the tests make their
    scans with pdftoppm (poppler-utils)."""
    french = glob.glob("/usr/share/tesseract-ocr/*/tessdata/fra.traineddata")
    if not shutil.which("ocrmypdf") or not french or not shutil.which("pdftoppm"):
        apt_install("ocrmypdf", "tesseract-ocr-fra", "poppler-utils")


def ensure_dovecot() -> None:
    """The mailbox tests run against a real IMAP server started on loopback; the console tests drive Chromium."""
    if not Path("/usr/sbin/dovecot").exists() or not Path("/usr/bin/chromium").exists():
        apt_install("dovecot-imapd", "openssl", "chromium")


def start_postgres() -> tuple[str, Path] | None:
    """Start a throwaway PostgreSQL cluster on loopback; return (URL, data dir)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        apt_install("postgresql")
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        return None
    bindir = Path(binaries[-1]).parent
    data = Path(tempfile.mkdtemp(prefix="cdv-pg-"))
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        shutil.chown(data, "postgres", "postgres")
    sh(
        *run_as,
        bindir / "initdb",
        "-D",
        data / "db",
        "-A",
        "trust",
        "-U",
        "cdv",
        "--no-sync",
        stdout=subprocess.DEVNULL,
    )
    sh(
        *run_as,
        bindir / "pg_ctl",
        "-D",
        data / "db",
        "-l",
        data / "log",
        "-w",
        "-o",
        f"-p {PG_PORT} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
        stdout=subprocess.DEVNULL,
    )
    sh(*run_as, bindir / "createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "cdv", "cdv_test")
    return f"postgresql+psycopg://cdv@127.0.0.1:{PG_PORT}/cdv_test", data


def stop_postgres(data: Path) -> None:
    bindir = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]).parent
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [*run_as, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "stop"],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    shutil.rmtree(data, ignore_errors=True)


def demo() -> int:
    ensure_venv()
    ensure_libreoffice()
    ensure_ocr()
    return subprocess.call([str(VENV / "bin" / "cdv"), "demo", "--racine", str(ROOT / "demo")])


def parallel(extra: list[str]) -> list[str]:
    """One pytest-xdist worker per core (at most four), a module's tests kept on one worker so that its
    module-scoped workspaces are built once; `-n 0` on the command line runs everything in one process."""
    if any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in extra):
        return []
    return ["-n", str(min(os.cpu_count() or 1, 4)), "--dist", "loadscope"]


def tests(extra: list[str]) -> int:
    ensure_venv()
    ensure_libreoffice()
    ensure_ocr()
    ensure_dovecot()
    started = start_postgres()
    env = dict(os.environ)
    if started:
        env["CDV_TEST_PG_URL"] = started[0]
    try:
        t0 = time.monotonic()
        code = subprocess.call([str(PY), "-m", "pytest", *parallel(extra), *extra], cwd=ROOT, env=env)
        say(f"tests terminés en {time.monotonic() - t0:.0f} s (code {code})")
        return code
    finally:
        if started:
            stop_postgres(started[1])


def quality() -> int:
    """Run the gates that guard main: lint, formatting and types, each one named when it fails."""
    ensure_venv()
    gates = [
        ("ruff check", [VENV / "bin" / "ruff", "check", "."]),
        ("ruff format --check", [VENV / "bin" / "ruff", "format", "--check", "."]),
        ("mypy", [VENV / "bin" / "mypy"]),
    ]
    failed = [name for name, command in gates if subprocess.call([str(c) for c in command], cwd=ROOT) != 0]
    say(f"contrôles en échec : {', '.join(failed)}" if failed else "contrôles de qualité réussis")
    return 1 if failed else 0


def bench(extra: list[str]) -> int:
    ensure_venv()
    return subprocess.call([str(PY), str(ROOT / "bench" / "run_bench.py"), *extra], cwd=ROOT)


if __name__ == "__main__":
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    actions = {
        "demo": lambda: demo(),
        "tests": lambda: tests(rest),
        "bench": lambda: bench(rest),
        "qualite": lambda: quality(),
    }
    if command not in actions:
        print(__doc__)
        sys.exit(2)
    sys.exit(actions[command]())
