"""A long-lived LibreOffice converter: one soffice kept running, driven over UNO, fed by a pipe.

Run by a Python interpreter that has LibreOffice's `uno` module (the system `python3` with
python3-uno), never imported by the package: it depends on nothing but the standard library and
`uno`. It starts soffice with its own profile, then answers one JSON request per line on stdin
(source, target, export filter, filter data) with one JSON line on stdout. Documents are loaded
hidden, read-only, with macros never executed. `workflow.libreoffice` starts it, times each file
and kills it (soffice with it: one process group) when a file takes too long or it stops answering.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.lang import DisposedException

NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode: linked content is never fetched
START_LIMIT = 60.0  # seconds for soffice to accept connections


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _options(soffice: str, profile: str) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={Path(profile).as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
    ]


def _desktop(pipe: str) -> Any:
    """Return soffice's desktop once it answers on the pipe and opens documents."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_LIMIT
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            if _opens(desktop):
                return desktop
        except Exception:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def _opens(desktop: Any) -> bool:
    """Whether soffice already opens documents: it answers on the pipe a little before it does."""
    document = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, (_property("Hidden", True),))
    if document is None:
        return False
    document.close(True)
    return True


def _convert(desktop: Any, request: dict[str, Any]) -> None:
    load = (
        _property("Hidden", True),
        _property("ReadOnly", True),
        _property("MacroExecutionMode", uno.Any("short", NEVER_EXECUTE)),
        _property("UpdateDocMode", uno.Any("short", NO_UPDATE)),
    )
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(request["source"]), "_blank", 0, load)
    if document is None:
        raise ValueError("document illisible")
    try:
        store = [_property("FilterName", request["filter"]), _property("Overwrite", True)]
        if request.get("data"):
            data = tuple(_property(k, v) for k, v in request["data"].items())
            store.append(_property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))
        document.storeToURL(uno.systemPathToFileUrl(request["target"]), tuple(store))
    finally:
        document.close(True)


def _answer(desktop: Any) -> None:
    """Answer one JSON line per request line until stdin closes or soffice crashes."""
    print(json.dumps({"pret": True}), flush=True)
    for line in sys.stdin:
        try:
            _convert(desktop, json.loads(line))
            answer: dict[str, Any] = {"ok": True}
        except DisposedException as e:  # soffice crashed on this document: nothing more to serve
            print(json.dumps({"ok": False, "erreur": f"LibreOffice arrêté : {e}"[:500]}), flush=True)
            return
        except Exception as e:  # LibreOffice's words go to the caller's log, never to a user
            answer = {"ok": False, "erreur": f"{type(e).__name__}: {e}"[:500]}
        print(json.dumps(answer), flush=True)
    desktop.terminate()


def main(soffice: str, profile: str, pipe: str) -> None:
    """Start soffice, serve until the owner closes the pipe (or died), then stop soffice and
    remove the profile, once soffice no longer writes in it.

    A new profile makes soffice restart itself once, which would cut the connection: the profile
    is made first by a run that stops as soon as it is initialised."""
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))  # a reader's per-file CPU limit is not ours
    quiet = subprocess.DEVNULL
    options = _options(soffice, profile)
    subprocess.run([*options, "--terminate_after_init"], timeout=START_LIMIT, check=False, stdout=quiet, stderr=quiet)
    office = subprocess.Popen(
        [*options, f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"], stdout=quiet, stderr=quiet
    )
    try:
        _answer(_desktop(pipe))
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
