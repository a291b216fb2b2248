"""Pages of the daily work: log in, the returns table, a submission under review, the queue, the journal.

Every action calls the same library function as `cdv revue …`, as the logged-in user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.review import actions
from workflow.review import journal as journal_entries
from workflow.review.dossier import AlerteVue, Dossier, alerts, concerns, corrections, load, notes
from workflow.review.queue import Rang, kind_label, load_lines, narrowed, queue, ranked
from workflow.review.status import Action, Decision, StatutRevue
from workflow.review.users import check_author
from workflow.review.view import values
from workflow.web import scans
from workflow.web.app import back, console, flash, form, parse_day, render, user
from workflow.web.pagination import paginate
from workflow.web.security import authenticate
from workflow.web.tableau import ETATS, GENRES, campagne_par_defaut, campagnes, tableau, versions_of
from workflow.workspace import Workspace

router = APIRouter()
DEDUCED_FIRST, DEDUCED_ONLY = "deduites_d_abord", "deduites"


@router.get("/connexion")
def login_page(request: Request, suite: str = "/") -> Response:
    if request.state.user is not None:
        return back(_local(suite))
    return render(request, "connexion.html", suite=_local(suite), identifiant="")


@router.post("/connexion")
def login(request: Request) -> Response:
    """Check the password; after 5 failures for a name or an address, wait 15 minutes."""
    data = form(request)
    identifiant, password = str(data.get("identifiant", "")).strip(), str(data.get("mot_de_passe", ""))
    suite = _local(str(data.get("suite", "/")))
    state = console(request)
    keys = (f"id:{identifiant}", f"ip:{request.client.host if request.client else '?'}")
    if state.throttle.blocked(*keys):
        message = "Trop d'essais infructueux : réessayez dans un quart d'heure."
        return render(request, "connexion.html", 429, erreur=message, suite=suite, identifiant=identifiant)
    with state.registry.session() as session:
        found = authenticate(session, identifiant, password)
        if found is not None:
            identifiant = found.identifiant
    if found is None:
        state.throttle.fail(*keys)
        message = "Identifiant ou mot de passe incorrect."
        return render(request, "connexion.html", 401, erreur=message, suite=suite, identifiant=identifiant)
    state.throttle.clear(keys[0])
    request.state.session.clear()
    request.state.session.update({"u": identifiant, "csrf": _new_token()})
    return back(suite)


@router.post("/deconnexion")
def logout(request: Request) -> Response:
    request.state.session.clear()
    request.state.session["csrf"] = _new_token()
    request.state.user = None
    return back("/connexion")


def _new_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def _local(target: str) -> str:
    """Only ever redirect inside the console."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/")
def home(request: Request) -> Response:
    user(request)
    return back("/tableau")


@router.get("/tableau")
def dashboard(request: Request, campagne: int | None = None, etat: str = "tous", genre: str = "tous") -> Response:
    state = console(request)
    with state.registry.session() as session:
        years = campagnes(session)
        year = campagne or campagne_par_defaut(session, years)
        table = tableau(session, state.workspace.referentiel, year)
    etat = etat if etat in ETATS else "tous"
    genre = genre if genre in GENRES else "tous"
    lines = table.filtre(etat, genre)
    pages = paginate(request, len(lines))
    page = "_tableau.html" if request.headers.get("hx-request") else "tableau.html"
    return render(
        request, page, table=table, lignes=pages.rows(lines), pagination=pages, annees=years or [year],
        campagne=year, etat=etat, genre=genre, etats=ETATS, genres=GENRES, statuts=StatutRevue,
    )  # fmt: skip


@router.get("/soumissions/{numero}")
def submission(request: Request, numero: int) -> Response:
    state = console(request)
    with state.registry.session() as session:
        try:
            dossier = load(session, numero)
        except CdvError as e:
            return render(request, "erreur.html", 404, message=str(e))
        return render(request, "soumission.html", **_submission_context(session, dossier, state.workspace))


def _submission_context(session: Session, dossier: Dossier, workspace: Workspace) -> dict[str, Any]:
    found = alerts(session, dossier)
    listed = values(session, dossier)
    places = scans.ocr_places(dossier.version)
    flagged = {v.champ: [a for a in found if a.ouverte and concerns(a.champ, v.champ)] for v in listed}
    return {
        "d": dossier,
        "s": dossier.soumission,
        "genre": kind_label(dossier),
        "valeurs": listed,
        "signalements": {k: x for k, x in flagged.items() if x},
        "premiers": _first_rows(flagged),
        "statuts_decision": lambda value: Decision(value).libelle,
        "alertes": found,
        "bloquantes": [a for a in found if a.ouverte and a.bloquante],
        "corrections": corrections(session, dossier.soumission.id),
        "notes": notes(session, dossier.soumission.id),
        "versions": versions_of(session, dossier.version),
        "statuts": StatutRevue,
        "campagne": getattr(dossier.version, "campagne", None),
        "pages_scannees": scans.scanned_pages(workspace, dossier.soumission, places, listed),
        "page_de": scans.page_of,
        "lues_ocr": places,
    }


def _first_rows(flagged: dict[str, list[AlerteVue]]) -> dict[tuple[str, str], str]:
    """Return, for each alert, the first value row it concerns (where its message is shown in full)."""
    first: dict[tuple[str, str], str] = {}
    for champ, found in flagged.items():
        for a in found:
            first.setdefault((a.code, a.champ), champ)
    return first


@contextmanager
def acting(request: Request, numero: int) -> Iterator[tuple[Session, Dossier, str]]:
    """Open one transaction as the logged-in user (checked by the same rule as the CLI's --auteur)."""
    state = console(request)
    with state.registry.session() as session:
        who = check_author(session, user(request).identifiant).identifiant
        yield session, load(session, numero), who


def _act(request: Request, numero: int, done: str, step: Callable[[Session, Dossier, str], Any]) -> Response:
    """Run one review action; say in French what happened or why it was refused, then show the page."""
    try:
        with acting(request, numero) as (session, dossier, who):
            step(session, dossier, who)
        flash(request, "ok", done)
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back(f"/soumissions/{numero}")


def _text(request: Request, name: str) -> str:
    value = form(request).get(name, "")
    return value if isinstance(value, str) else ""


@router.post("/soumissions/{numero}/corriger")
def correct(request: Request, numero: int) -> Response:
    champ, valeur, motif = _text(request, "champ"), _text(request, "valeur"), _text(request, "motif")
    ref = console(request).workspace.referentiel

    def step(session: Session, dossier: Dossier, who: str) -> None:
        if not motif.strip():
            raise CdvError("indiquer le motif de la correction")
        actions.correct(session, ref, dossier, champ, valeur, motif, who)

    return _act(request, numero, f"« {champ} » corrigé.", step)


@router.post("/soumissions/{numero}/accepter")
def accept(request: Request, numero: int) -> Response:
    code, champ, motif = _text(request, "code"), _text(request, "champ") or None, _text(request, "motif")
    decision = Decision.SANS_OBJET if _text(request, "sans_objet") else Decision.ACCEPTEE
    return _act(
        request, numero, f"Alerte « {code} » : {decision.libelle}.",
        lambda session, dossier, who: actions.accept(session, dossier, code, motif, who, champ, decision),
    )  # fmt: skip


@router.post("/soumissions/{numero}/valider")
def validate(request: Request, numero: int) -> Response:
    return _act(request, numero, f"Soumission n° {numero} validée.", lambda s, d, who: actions.validate(s, d, who))


@router.post("/soumissions/{numero}/renvoyer")
def send_back(request: Request, numero: int) -> Response:
    motif = _text(request, "motif")
    return _act(
        request, numero, f"Soumission n° {numero} renvoyée au partenaire pour correction.",
        lambda s, d, who: actions.send_back(s, d, motif, who),
    )  # fmt: skip


@router.post("/soumissions/{numero}/note")
def note(request: Request, numero: int) -> Response:
    texte = _text(request, "texte")
    return _act(request, numero, "Note enregistrée.", lambda s, d, who: actions.add_note(s, d, texte, who))


@router.get("/soumissions/{numero}/comparer")
def compare_chosen(request: Request, numero: int, de: int | None = None, a: int | None = None) -> Response:
    """Compare the two versions chosen on the submission page (« comparer la version … avec la version … »)."""
    user(request)
    if de is None or a is None:
        return back(f"/soumissions/{numero}#versions")
    return back(f"/soumissions/{a}/comparer/{de}")


@router.get("/soumissions/{numero}/comparer/{autre}")
def compare(request: Request, numero: int, autre: int) -> Response:
    """Show two versions of the same partner side by side, field by field, differences first."""
    state = console(request)
    with state.registry.session() as session:
        try:
            left, right = load(session, autre), load(session, numero)
        except CdvError as e:
            return render(request, "erreur.html", 404, message=str(e))
        if left.version.organisation_id != right.version.organisation_id:
            message = f"Les soumissions n° {autre} et n° {numero} ne sont pas du même partenaire."
            return render(request, "erreur.html", 400, message=message)
        before = {v.champ: v.valeur for v in values(session, left)}
        after = {v.champ: v.valeur for v in values(session, right)}
        fields = [*after, *(c for c in before if c not in after)]
        rows = [(c, before.get(c), after.get(c)) for c in fields]
        return render(
            request, "comparer.html", gauche=left, droite=right, genre=kind_label(right),
            differences=[r for r in rows if r[1] != r[2]], identiques=[r for r in rows if r[1] == r[2]],
        )  # fmt: skip


@router.get("/soumissions/{numero}/original")
def original(request: Request, numero: int) -> Response:
    """Send the original file as it arrived, from the archive, as an attachment."""
    state = console(request)
    with state.registry.session() as session:
        try:
            s = load(session, numero).soumission
        except CdvError as e:
            return render(request, "erreur.html", 404, message=str(e))
    path = (state.workspace.root / s.chemin).resolve()
    if not s.chemin or not path.is_file() or not path.is_relative_to(state.workspace.archive.resolve()):
        return render(request, "erreur.html", 404, message="Le fichier d'origine n'est plus dans les archives.")
    return FileResponse(path, filename=s.fichier, content_disposition_type="attachment")


LECTURES = {
    "": "toutes les lectures",
    DEDUCED_FIRST: "lectures déduites d'abord",
    DEDUCED_ONLY: "lectures déduites seulement",
}


def by_reading(lines: list[Rang], lecture: str) -> list[Rang]:
    """Return the queue with the submissions holding deduced readings first, or only those."""
    if lecture == DEDUCED_ONLY:
        return [line for line in lines if line.deduites]
    if lecture == DEDUCED_FIRST:
        return sorted(lines, key=lambda line: not line.deduites)  # stable: urgency order kept within each group
    return lines


@router.get("/soumissions/{numero}/pages/{page}.png")
def scanned_page(request: Request, numero: int, page: int) -> Response:
    """Send one page of a scanned return as the OCR read it, as an image (rendered once, then kept)."""
    state = console(request)
    with state.registry.session() as session:
        try:
            s = load(session, numero).soumission
        except CdvError as e:
            return render(request, "erreur.html", 404, message=str(e))
        path = scans.page_png(state.workspace, s, page)
    if path is None:
        message = f"La soumission n° {numero} n'a pas de page {page} scannée."
        return render(request, "erreur.html", 404, message=message)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/a-verifier")
def review_queue(
    request: Request,
    statut: str = "a_verifier",
    code: str = "",
    organisme: str = "",
    campagne: str = "",
    lecture: str = "",
) -> Response:
    state = console(request)
    chosen = StatutRevue(statut) if statut in StatutRevue._value2member_map_ else None
    year = int(campagne) if campagne.isdigit() else None
    lecture = lecture if lecture in LECTURES else ""
    with state.registry.session() as session:
        everything = ranked(session, chosen)
        lines = by_reading(narrowed(everything, code or None, organisme or None, year), lecture)
        codes = sorted({c for line in everything for c in line.ouvertes})
        bulk = sum(1 for line in everything if code in line.ouvertes)  # what « accepter » takes
        years = campagnes(session)
        pages = paginate(request, len(lines))
        page = "_file.html" if request.headers.get("hx-request") else "file.html"
        return render(
            request, page, lignes=load_lines(session, pages.rows(lines)), pagination=pages, codes=codes, annees=years,
            statut=statut if chosen else "toutes", code=code, organisme=organisme, campagne=year, lecture=lecture,
            lectures=LECTURES, groupees=bulk, statuts=StatutRevue, genre=kind_label,
        )  # fmt: skip


@router.post("/a-verifier/accepter")
def accept_code(request: Request) -> Response:
    """Accept one alert code on every submission of the queue that has it open, with one note."""
    code, motif = _text(request, "code"), _text(request, "motif")
    state = console(request)
    done = 0
    try:
        with state.registry.session() as session:
            who = check_author(session, user(request).identifiant).identifiant
            for line in queue(session, StatutRevue.A_VERIFIER, code):
                actions.accept(session, line.dossier, code, motif, who)
                done += 1
        flash(request, "ok", f"Alerte « {code} » acceptée sur {done} soumission(s).")
    except CdvError as e:
        flash(request, "erreur", f"Refusé (rien n'a été changé) : {e}")
    return back(f"/a-verifier?code={code}")


@router.get("/journal")
def journal(request: Request, depuis: str = "", organisme: str = "") -> Response:
    state = console(request)
    day = parse_day(depuis) if depuis else None
    if depuis and day is None:
        flash(request, "erreur", f"Date illisible : « {depuis} » (exemple : 14/03/2025).")
    with state.registry.session() as session:
        pages = paginate(request, journal_entries.count(session, day, organisme or None))
        start = (pages.numero - 1) * pages.par_page
        found = journal_entries.latest(session, day, organisme or None, start, pages.par_page)
    return render(
        request, "journal.html", entrees=found, pagination=pages, depuis=depuis, organisme=organisme,
        actions=Action,
    )  # fmt: skip


@router.get("/deconnexion")
def logout_get(request: Request) -> RedirectResponse:
    return back("/tableau")
