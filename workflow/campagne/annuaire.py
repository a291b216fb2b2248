"""The contact directory: each partner's referent, read from its latest validated answer, editable by staff.

A contact entered by staff stays until a newer validated answer arrives; an address the tool flagged
(an open `courriel_invalide` alert) or one that does not parse is kept for the record but never used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.referentiel.model import avec_article, complement
from workflow.registry.models import (
    Contact,
    DecisionAlerte,
    FicheAssociationVersion,
    Organisation,
    PartenaireAttendu,
    QuestionnaireVersion,
)
from workflow.registry.queries import Selection, associations, latest_per_organisation
from workflow.render.typographie import cle_fr
from workflow.review import journal
from workflow.review.status import Action
from workflow.text import normalise
from workflow.validation.alertes import CodeAlerte
from workflow.validation.contacts import email_problem, phone_problem
from workflow.validation.organisations import resolve_signataire

SYSTEM = "cdv"
CHAMPS = ("nom", "fonction", "courriel", "telephone")


@dataclass(frozen=True)
class Partenaire:
    """A partner as the loop addresses it: its registry key, its name, and the sentence form of its name."""

    cle: str
    nom: str
    type: str  # "signataire" or "association"
    designation: str  # « la Ville d'Arras », « l'association AFEJI Artois »
    complement: str  # « de la Ville d'Arras », « de l'association AFEJI Artois »


@dataclass(frozen=True)
class Adresse:
    """Where to write to a partner, or why nowhere."""

    contact: Contact | None
    courriel: str  # "" when there is no usable address
    motif: str  # why there is none, in French ("" when there is one)


def cle_signataire(signataire_id: str) -> str:
    return f"signataire:{signataire_id}"


def cle_association(nom: str) -> str:
    return f"association:{normalise(nom)}"


def partenaire(ref: Referentiel, nom: str, type_: str | None = None) -> Partenaire:
    """Return the partner a name designates: a signatory of the reference data, else an association."""
    signataire = resolve_signataire(nom, ref) if type_ != "association" else None
    if signataire is not None:
        return Partenaire(
            cle_signataire(signataire.id),
            signataire.nom,
            "signataire",
            signataire.avec_article(),
            signataire.complement(),
        )
    name = nom if normalise(nom).startswith("association ") else f"association {nom}"
    return Partenaire(cle_association(nom), nom, "association", avec_article("l'", name), complement("l'", name))


def rafraichir(session: Session, ref: Referentiel) -> int:
    """Update the referents from the latest validated answers; return how many contacts changed."""
    changed = 0
    for v in latest_per_organisation(session, Selection.VALIDEES):
        values = (v.referent_nom, v.referent_fonction, v.referent_courriel, v.referent_telephone)
        changed += _from_answer(session, v.organisation.cle, v.organisation.nom, v, values)
    for f in associations(session, Selection.VALIDEES):
        read = tuple(str(f.identite.get(f"referent_{k}") or "") for k in CHAMPS)
        changed += _from_answer(session, f.organisation.cle, f.organisation.nom, f, read)
    session.flush()
    return changed


def _from_answer(
    session: Session, cle: str, nom: str, v: QuestionnaireVersion | FicheAssociationVersion, values: tuple[str, ...]
) -> int:
    row = referent(session, cle)
    received = v.soumission.recu_le
    if row is not None and (row.soumission_id == v.soumission_id or _newer(row.le, received)):
        return 0  # already this answer, or entered by staff after it
    if not any(values):
        return 0
    if row is None:
        row = Contact(cle=cle, rang=0)
        session.add(row)
    row.organisme, row.soumission_id, row.par = nom, v.soumission_id, SYSTEM
    row.nom, row.fonction, row.courriel, row.telephone = values
    row.source, row.le = f"réponse n° {v.soumission_id}", received
    return 1


def _newer(a: dt.datetime, b: dt.datetime) -> bool:
    """Compare a staff edit with an answer's arrival, whatever the database did to the time zones."""
    return _aware(a) >= _aware(b)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def referent(session: Session, cle: str) -> Contact | None:
    return session.scalar(select(Contact).where(Contact.cle == cle, Contact.rang == 0))


def contacts(session: Session) -> list[Contact]:
    return list(session.scalars(select(Contact).order_by(Contact.organisme, Contact.rang)))


def repertoire(session: Session, ref: Referentiel) -> list[tuple[Partenaire, Contact | None]]:
    """Return the directory: every signatory of the reference data, then, in French order, each association
    with a contact or expected by a campaign; each with its referent when one is known."""
    known = {c.cle: c for c in contacts(session)}
    partners = [partenaire(ref, s.nom, "signataire") for s in ref.signataires.signataires]
    listed = {p.cle for p in partners}
    expected = session.execute(
        select(PartenaireAttendu.cle, PartenaireAttendu.nom).where(PartenaireAttendu.type == "association").distinct()
    )
    others = {cle: nom for cle, nom in expected} | {c.cle: c.organisme for c in known.values()}
    partners += sorted(
        (replace(partenaire(ref, nom, "association"), cle=cle) for cle, nom in others.items() if cle not in listed),
        key=lambda p: cle_fr(p.nom),
    )
    return [(p, known.get(p.cle)) for p in partners]


def connu(session: Session, cible: Partenaire) -> bool:
    """Tell whether a partner is a signatory, or an association the registry already knows (answered,
    expected by a campaign or in the directory)."""
    if cible.type == "signataire" or referent(session, cible.cle) is not None:
        return True
    answered = session.scalar(select(Organisation.id).where(Organisation.cle == cible.cle))
    expected = session.scalar(select(PartenaireAttendu.id).where(PartenaireAttendu.cle == cible.cle).limit(1))
    return answered is not None or expected is not None


def modifier(
    session: Session, cible: Partenaire, valeurs: dict[str, str], par: str, motif: str | None = None
) -> Contact:
    """Enter or change a partner's referent by hand; a malformed address or phone number is refused.

    With a `motif`, each field entered is written to the journal (who, when, before, after, why)."""
    unknown = set(valeurs) - set(CHAMPS)
    if unknown:
        raise CdvError(f"champs de contact : {', '.join(CHAMPS)} (reçu : {', '.join(sorted(unknown))})")
    if not valeurs:
        raise CdvError("rien à enregistrer : donner au moins un nom, une fonction, un courriel ou un téléphone")
    for champ, check in (("courriel", email_problem), ("telephone", phone_problem)):
        if valeurs.get(champ) and (why := check(valeurs[champ])):
            raise CdvError(f"valeur refusée : {why}")
    row = referent(session, cible.cle)
    if row is None:
        row = Contact(cle=cible.cle, rang=0, organisme=cible.nom, nom="", fonction="", courriel="", telephone="")
        session.add(row)
    before = {champ: getattr(row, champ) or "" for champ in valeurs}
    for champ, value in valeurs.items():
        setattr(row, champ, value.strip())
    row.organisme, row.source, row.soumission_id = cible.nom, "saisie", None
    row.par, row.le = par, dt.datetime.now(dt.UTC)
    if motif is not None:
        for champ in valeurs:
            journal.log(
                session, par, Action.CONTACT, organisme=cible.nom, champ=champ, avant=before[champ],
                apres=getattr(row, champ), motif=motif,
            )  # fmt: skip
    session.flush()
    return row


def adresse(session: Session, cle: str) -> Adresse:
    """Return the address to write to, or why there is none usable."""
    row = referent(session, cle)
    if row is None or not row.courriel:
        return Adresse(row, "", "aucune adresse connue : la saisir (cdv annuaire modifier)")
    if email_problem(row.courriel):
        return Adresse(row, "", f"adresse illisible « {row.courriel} » : la corriger (cdv annuaire modifier)")
    if row.soumission_id is not None and _flagged(session, row.soumission_id):
        return Adresse(
            row,
            "",
            f"adresse « {row.courriel} » signalée invalide (réponse n° {row.soumission_id}) : "
            "la vérifier puis la saisir (cdv annuaire modifier)",
        )
    return Adresse(row, row.courriel, "")


def _flagged(session: Session, soumission_id: int) -> bool:
    """Tell whether the answer the address was read from holds an undecided `courriel_invalide` alert."""
    code = CodeAlerte.COURRIEL_INVALIDE.value
    decided = session.scalar(
        select(DecisionAlerte.id).where(DecisionAlerte.soumission_id == soumission_id, DecisionAlerte.code == code)
    )
    if decided is not None:
        return False
    q = session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.soumission_id == soumission_id))
    if q is not None:
        return any(a.code == code for a in q.alertes)
    f = session.scalar(select(FicheAssociationVersion).where(FicheAssociationVersion.soumission_id == soumission_id))
    return f is not None and any(a.get("code") == code for a in f.alertes)
