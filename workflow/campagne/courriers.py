"""The e-mail drafts (.eml, French) of the partner loop: the campaign's covering letter, a reminder, a send-back.

They are drafts (`X-Unsent`): staff open them in their mail client; only `cdv relances envoyer
--envoyer` sends reminders by SMTP. A partner with no usable address gets a draft without recipient.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from workflow.campagne.annuaire import Adresse, Partenaire
from workflow.copil.relances import SENDER
from workflow.fr import date_fr
from workflow.render.formulaire import ADRESSE_RETOUR
from workflow.text import normalise

RETOUR = ADRESSE_RETOUR
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
SIGNATURE = "Bien cordialement,\n\nLe service Cohésion sociale\nCommunauté Urbaine d'Arras\n"


def salutation(adresse: Adresse) -> str:
    """« Bonjour Nadia Leroy, » when the contact is known, else « Madame, Monsieur, »."""
    nom = adresse.contact.nom.strip() if adresse.contact else ""
    return f"Bonjour {nom}," if nom else "Madame, Monsieur,"


def _formulaire(cible: Partenaire) -> str:
    return "questionnaire d'engagement" if cible.type == "signataire" else "fiche association"


def _le_formulaire(cible: Partenaire) -> str:
    return f"{'le' if cible.type == 'signataire' else 'la'} {_formulaire(cible)}"


def ouverture(
    cible: Partenaire, adresse: Adresse, campagne: int, echeance: dt.date, form: Path, deja: bool, recu: bool = False
) -> EmailMessage:
    """The covering letter of a campaign, the partner's form attached; `recu` when its answer to this very
    campaign is already validated (it need only send it again if something changed)."""
    demande = (
        f"Nous avons déjà reçu et validé vos réponses à cette campagne : le formulaire joint les reprend. Il n'est "
        f"à nous retourner, avant le {date_fr(echeance)}, que si vos engagements ont changé depuis."
        if recu
        else f"Nous vous remercions de nous retourner {_le_formulaire(cible)} {cible.complement} "
        f"avant le {date_fr(echeance)}."
    )
    body = (
        f"{salutation(adresse)}\n\n"
        f"Dans le cadre du contrat de ville « Cœur de Quartier » 2024-2030, la Communauté Urbaine d'Arras ouvre "
        f"la campagne {campagne} de mise à jour des engagements des partenaires. {demande}\n\n"
        f"{'' if recu else _rappel(deja)}"
        f"Merci de le renvoyer au format .docx, en réponse à ce message ou à l'adresse {RETOUR}.\n\n"
        f"Nous restons à votre disposition pour toute question.\n\n{SIGNATURE}"
    )
    subject = f"Contrat de ville « Cœur de Quartier » : campagne {campagne}, votre {_formulaire(cible)}"
    return draft(adresse, subject, body, form)


def _rappel(deja: bool) -> str:
    """How to fill the attached form: update the answers it holds, or fill it in."""
    if deja:
        return (
            "Le formulaire joint reprend vos réponses validées de la campagne précédente : il suffit de mettre à "
            "jour ce qui a changé, de compléter ce qui manque, et de laisser tel quel ce qui reste vrai.\n\n"
        )
    return "Le formulaire joint est à compléter dans Word ou LibreOffice, directement dans les zones prévues.\n\n"


def relance(
    cible: Partenaire, adresse: Adresse, campagne: int, echeance: dt.date, form: Path, numero: int
) -> EmailMessage:
    """A reminder to a partner who has not answered the campaign yet."""
    rang = "" if numero == 1 else f" (relance n° {numero})"
    body = (
        f"{salutation(adresse)}\n\n"
        f"Sauf erreur de notre part, nous n'avons pas encore reçu {_le_formulaire(cible)} {cible.complement} "
        f"pour la campagne {campagne} du contrat de ville « Cœur de Quartier ».\n\n"
        f"Pourriez-vous nous le retourner avant le {date_fr(echeance)}, afin que vos engagements figurent dans "
        "les annexes présentées au comité de pilotage ? Le formulaire est joint à ce message ; merci de nous le "
        f"renvoyer au format .docx, en réponse à ce message ou à l'adresse {RETOUR}.\n\n"
        f"Nous vous remercions de votre contribution.\n\n{SIGNATURE}"
    )
    subject = f"Relance{rang} : contrat de ville « Cœur de Quartier », campagne {campagne}"
    return draft(adresse, subject, body, form)


def renvoi(
    cible: Partenaire, adresse: Adresse, motif: str, alertes: list[str], echeance: dt.date, form: Path
) -> EmailMessage:
    """The request for correction: what to correct, the partner's own form with the fields to look at shaded."""
    points = "".join(f"- {a}\n" for a in alertes)
    body = (
        f"{salutation(adresse)}\n\n"
        f"Merci pour {_le_formulaire(cible)} {cible.complement}. Avant de l'intégrer aux annexes du contrat de ville "
        f"« Cœur de Quartier », nous vous demandons de le corriger : {motif.strip()}\n\n"
        + (f"Les points relevés :\n{points}\n" if points else "")
        + "Le formulaire joint reprend vos réponses ; les zones à revoir sont surlignées et commentées. Merci de le "
        f"corriger et de nous le renvoyer avant le {date_fr(echeance)}, au format .docx, en réponse à ce message "
        f"ou à l'adresse {RETOUR}.\n\n{SIGNATURE}"
    )
    subject = f"Demande de correction : votre {_formulaire(cible)} (contrat de ville « Cœur de Quartier »)"
    return draft(adresse, subject, body, form)


def draft(adresse: Adresse, subject: str, body: str, form: Path) -> EmailMessage:
    message = EmailMessage()
    message["From"] = SENDER
    if adresse.courriel:
        message["To"] = adresse.courriel
    message["Reply-To"] = RETOUR
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain="cu-arras.fr")
    message["X-Unsent"] = "1"  # opens as a draft in Outlook
    message.set_content(body)
    message.add_attachment(form.read_bytes(), maintype=DOCX[0], subtype=DOCX[1], filename=form.name)
    return message


def slug(nom: str) -> str:
    return normalise(nom).replace(" ", "_")[:80]
