"""The text of account e-mails, in the recipient's language, and the links they carry.

Links are built on PUBLIC_BASE_URL, not on the Host header of the request that caused the
e-mail: otherwise anyone could ask for a reset of someone else's password from a request with
`Host: attacker.example` and have the victim's token sent to that host when they click.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from questionnaire.accounts.models import User
from questionnaire.dates import un_datetime
from questionnaire.i18n import left_to_right

Message = tuple[str, str]  # (subject, body)


class PublicAddressMissing(RuntimeError):
    """PUBLIC_BASE_URL is needed and not set."""


PUBLIC_ADDRESS_MISSING = (
    "Set PUBLIC_BASE_URL to the address people use to reach the application (e.g. "
    "https://review.example.org): links in e-mails are built on it, never on the Host "
    "header of a request. It is required unless the application runs in debug or "
    "testing mode without MAIL_SERVER."
)


def require_public_address() -> str:
    """PUBLIC_BASE_URL, which every link in an e-mail is built on; PublicAddressMissing, with
    the message saying what to set, when it is not set."""
    address = current_app.config.get("PUBLIC_BASE_URL")
    if not address:
        raise PublicAddressMissing(PUBLIC_ADDRESS_MISSING)
    return str(address)


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for an e-mail, always on PUBLIC_BASE_URL (its scheme, host and path),
    in a request or not; the request's Host and X-Forwarded-* headers play no part."""
    base = urlsplit(require_public_address())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def signature() -> str:
    """The closing lines of every e-mail, in the language in force."""
    return _(
        "This message was sent by the secure module of the Mechanism for the Review of the "
        "Implementation of the United Nations Convention against Transnational Organized Crime. "
        "If you did not expect it, tell the UNODC secretariat."
    )


def activation(user: User, url: str, expires_at: datetime) -> Message:
    with force_locale(user.locale):
        subject = _("Activate your account for the UNTOC review questionnaires")
        body = _(
            "Dear %(name)s,\n\n"
            "The UNODC secretariat has registered you, following your nomination, in the secure "
            "module of the review mechanism. To activate your account, choose your password "
            "here:\n\n%(url)s\n\n"
            "This link can be used once and expires on %(expires)s. If it has expired, "
            'ask the secretariat for a new one, or use "Forgot your password?" on the login '
            "page.",
            name=user.full_name,
            url=url,
            expires=un_datetime(expires_at, rebase=False),
        )
        return subject, f"{body}\n\n-- \n{signature()}"


def password_reset(user: User, url: str, minutes: int) -> Message:
    with force_locale(user.locale):
        subject = _("Reset your password for the UNTOC review questionnaires")
        body = ngettext(
            "Dear %(name)s,\n\n"
            "Someone, probably you, asked to reset the password of your account. To choose a new "
            "password, open this link within %(num)d minute:\n\n%(url)s\n\n"
            "The link can be used once. If you did not ask for it, ignore this message: your "
            "password stays as it is.",
            "Dear %(name)s,\n\n"
            "Someone, probably you, asked to reset the password of your account. To choose a new "
            "password, open this link within %(num)d minutes:\n\n%(url)s\n\n"
            "The link can be used once. If you did not ask for it, ignore this message: your "
            "password stays as it is.",
            minutes,
            name=user.full_name,
            url=url,
        )
        return subject, f"{body}\n\n-- \n{signature()}"


def security_notice(user: User, event: str, **values: object) -> Message:
    """Tell the owner of an account about a change they should recognise."""
    with force_locale(user.locale):
        texts = {
            "password_changed": _("The password of your account was changed."),
            "two_factor_enabled": _("Two-step verification was turned on for your account."),
            "two_factor_disabled": _("Two-step verification was turned off for your account."),
            "two_factor_reset": _(
                "The secretariat turned off two-step verification for your account, at your "
                "request. You will be asked to set it up again when you next log in."
            ),
            "recovery_code_used": ngettext(
                "A recovery code was used to log in to your account. %(num)d code remains.",
                "A recovery code was used to log in to your account. %(num)d codes remain.",
                int(values.get("remaining", 0)),  # type: ignore[call-overload]
            ),
            "recovery_codes_replaced": _(
                "New recovery codes were made for your account; the old ones no longer work."
            ),
            "locked": ngettext(
                "There were too many failed attempts to log in to your account from one "
                "connection (%(address)s). That connection is blocked for %(num)d minute; "
                "you can still log in as usual.",
                "There were too many failed attempts to log in to your account from one "
                "connection (%(address)s). That connection is blocked for %(num)d minutes; "
                "you can still log in as usual.",
                int(values.get("minutes", 0)),  # type: ignore[call-overload]
                address=left_to_right(str(values.get("address", ""))),
            ),
        }
        subject = _("Security notice about your UNTOC review account")
        body = _(
            "Dear %(name)s,\n\n%(event)s\n\n"
            'If this was not you, reset your password with "Forgot your password?" on the '
            "login page and tell the UNODC secretariat at once.",
            name=user.full_name,
            event=texts[event],
        )
        return subject, f"{body}\n\n-- \n{signature()}"
