"""Email notices over SMTP (LMS_SMTP_URL), written in each recipient's language."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask_babel import force_locale, gettext

from lms.domain.assignments.reminders import NOTICE_TEXT
from lms.models import Notification, User

TIMEOUT_SECONDS = 10


class SmtpSender:
    """Sends notices through one SMTP server: smtp://[user:password@]host[:port] or smtps://…"""

    def __init__(self, url: str, sender: str, base_url: str = "") -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("LMS_SMTP_URL must look like smtp://user:password@host:port")
        self.secure = parts.scheme == "smtps"
        self.host, self.port = parts.hostname, parts.port or (465 if self.secure else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender, self.base_url = sender, base_url.rstrip("/")

    def compose(self, user: User, notice: Notification) -> EmailMessage:
        """The message, in the recipient's language."""
        with force_locale(user.locale or "en"):
            text = gettext(NOTICE_TEXT[notice.kind], **notice.params)
            body = "\n\n".join(
                [
                    gettext("Hello %(name)s,", name=user.display_name),
                    text,
                    gettext("Open your programme to start: %(url)s", url=f"{self.base_url}/learn/"),
                    gettext("— The Service Academy"),
                ]
            )
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, user.email, text
        message.set_content(body)
        return message

    def password_reset(self, user: User, link: str, minutes: int) -> EmailMessage:
        """The reset link for one account, in its owner's language."""
        with force_locale(user.locale or "en"):
            subject = gettext("Set a new password for the Service Academy")
            body = "\n\n".join(
                [
                    gettext("Hello %(name)s,", name=user.display_name),
                    gettext(
                        "Someone (we hope you) asked to set a new password for the account “%(username)s”. "
                        "Open this link within %(minutes)s minutes to choose one; it works once:",
                        username=user.username,
                        minutes=minutes,
                    ),
                    link,
                    gettext(
                        "If you did not ask for this, ignore this email: your password stays as it is."
                    ),
                    gettext("— The Service Academy"),
                ]
            )
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, user.email, subject
        message.set_content(body)
        return message

    def __call__(self, user: User, notice: Notification) -> None:
        self.send(self.compose(user, notice))

    def send(self, message: EmailMessage) -> None:
        """Deliver one message."""
        client_class = smtplib.SMTP_SSL if self.secure else smtplib.SMTP
        with client_class(self.host, self.port, timeout=TIMEOUT_SECONDS) as client:
            client.ehlo()
            if not self.secure and client.has_extn("starttls"):
                client.starttls()
                client.ehlo()
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)
