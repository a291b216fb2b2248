"""The search page: every value, partner name, alert message and note matching the words typed,
each linking to its submission and field (`registry.recherche` does the matching)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from workflow.registry.recherche import DEBUT, FIN, LIMITE, mots, search
from workflow.web.app import console, render

router = APIRouter()
SORTES = {"valeur": "valeur", "organisme": "nom du partenaire", "alerte": "alerte", "note": "note interne"}


def marked(extrait: str) -> Markup:
    """Return an excerpt escaped, each word found inside <mark>."""
    parts = re.split(f"([{DEBUT}{FIN}])", extrait)
    out, inside = [], False
    for part in parts:
        if part in (DEBUT, FIN):
            inside = part == DEBUT
            out.append(Markup("<mark>") if inside else Markup("</mark>"))
        else:
            out.append(escape(part))
    return Markup("").join(out)


@router.get("/recherche")
def search_page(request: Request, q: str = "", anciennes: str = "") -> Response:
    found = []
    if q.strip():
        with console(request).registry.session() as session:
            found = search(session, q, anciennes=bool(anciennes))
    return render(
        request, "recherche.html", q=q, anciennes=bool(anciennes), trouvailles=found, limite=LIMITE, mots=mots(q),
        sortes=SORTES, marque=marked,
    )  # fmt: skip
