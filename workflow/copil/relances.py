"""Reminder drafts (.eml, French, polite) for the signatories who have not answered yet.

They are drafts: staff open them in their mail client, check and send. Sending by SMTP is
not done here.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from workflow.fr import date_fr
from workflow.render.retours import Retour
from workflow.text import normalise

SENDER = "Communauté Urbaine d'Arras - Cohésion sociale <cohesion.sociale@cu-arras.fr>"


def relance(retour: Retour, campagne: int, deadline: dt.date, form: Path) -> EmailMessage:
    """Return the reminder for one signatory, the blank form attached."""
    message = EmailMessage()
    message["From"] = SENDER
    if retour.courriel:
        message["To"] = retour.courriel
    message["Subject"] = f"Contrat de ville « Cœur de Quartier » : votre questionnaire d'engagement {campagne}"
    message["Date"] = format_datetime(dt.datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain="cu-arras.fr")
    message["X-Unsent"] = "1"  # opens as a draft in Outlook
    message.set_content(
        "Madame, Monsieur,\n\n"
        f"Dans le cadre du contrat de ville « Cœur de Quartier » 2024-2030, nous n'avons pas encore reçu "
        f"le questionnaire d'engagement de {retour.organisme} pour la campagne {campagne}.\n\n"
        f"Pourriez-vous nous le retourner avant le {date_fr(deadline)}, afin que vos engagements figurent "
        "dans les annexes présentées au comité de pilotage ? Vous trouverez le formulaire à compléter en "
        "pièce jointe ; il suffit de le remplir dans Word ou LibreOffice et de nous le renvoyer en réponse "
        "à ce message.\n\n"
        "Nous vous remercions de votre contribution et restons à votre disposition pour toute question.\n\n"
        "Bien cordialement,\n\n"
        "Le service Cohésion sociale\nCommunauté Urbaine d'Arras\n"
    )
    message.add_attachment(
        form.read_bytes(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename=form.name,
    )
    return message


def draft_name(organisme: str) -> str:
    return f"relance_{normalise(organisme).replace(' ', '_')[:80]}.eml"
