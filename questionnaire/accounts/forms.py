"""Forms of logging in, choosing passwords, two-step verification and registering users."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from questionnaire.accounts.passwords import MAX_LENGTH, password_problems
from questionnaire.forms import Form
from questionnaire.i18n import DEFAULT_LANGUAGE, INTERFACE_LANGUAGES, LANGUAGE_NAMES


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address")),
            Email(_l("Enter a valid e-mail address")),
            Length(max=254),
        ],
    )


class LoginForm(Form):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=1024)]
    )
    next = HiddenField()


class CodeForm(Form):
    """The second step of a login, and the confirmation of a new authenticator."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code")), Length(max=64)],
    )


def _new_password_field() -> PasswordField:
    return PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password")), Length(max=MAX_LENGTH)],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password again")),
            EqualTo("password", _l("The two passwords are not the same")),
        ],
    )


class _PolicyChecked(Form):
    """Checks `password` against the policy for the owner's e-mail address."""

    def __init__(self, *args: Any, email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_email = email

    def validate_password(self, field: PasswordField) -> None:
        problems = password_problems(field.data or "", self.owner_email)
        if problems:
            raise ValidationError(" ".join(str(p) for p in problems))


class NewPasswordForm(_PolicyChecked):
    """A password chosen through an activation or reset link."""

    password = _new_password_field()
    confirm = _confirm_field()


class ChangePasswordForm(_PolicyChecked):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password")), Length(max=1024)],
    )
    password = _new_password_field()
    confirm = _confirm_field()


class ConfirmPasswordForm(Form):
    """The password again, before turning two-step verification off or replacing codes."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=1024)],
    )


class ResetRequestForm(Form):
    email = _email_field()


class RegisterUserForm(Form):
    """The secretariat registers a nominated person."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the e-mail address")),
            Email(_l("Enter a valid e-mail address")),
            Length(max=254),
        ],
    )
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter the name as nominated")), Length(max=200)],
    )
    state_code = SelectField(_l("State"), choices=[], validate_choice=True)
    is_secretariat = BooleanField(_l("UNODC secretariat staff"))
    locale = SelectField(
        _l("Language of the e-mails and pages"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES],
        # The list follows the UN order, which starts with Arabic: English unless chosen.
        default=DEFAULT_LANGUAGE,
    )

    def validate_state_code(self, field: SelectField) -> None:
        if self.is_secretariat.data and field.data:
            raise ValidationError(_l("Secretariat staff act for no State: choose no State."))
        if not self.is_secretariat.data and not field.data:
            raise ValidationError(_l("Choose the State that nominated the person."))


class LanguageForm(Form):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES],
    )
    next = HiddenField()
