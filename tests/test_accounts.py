"""Accounts: registration by the secretariat, activation and reset links, the password policy,
two-step verification, sessions, lockouts and rate limits, through HTTP and the services."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import itsdangerous.timed
import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts import lockout, login_state, services, twofactor
from questionnaire.accounts.limits import limiter
from questionnaire.accounts.models import LoginFailure, RecoveryCode, User
from questionnaire.accounts.passwords import password_problems
from questionnaire.audit.models import AuditEntry
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reviews.models import Review
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "plenary hall, four meetings, six languages"
LINK = re.compile(r"http://localhost(/\S+)")
RECOVERY_CODE = re.compile(r"<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>")
ERROR = re.compile(r'<p class="error-message"[^>]*>.*?</span>\s*(.*?)</p>', re.S)
REQUIRED = ("secretariat", "focal_point")


# --- helpers ----------------------------------------------------------------------------------


def fresh(db: Session) -> Session:
    """The fixture's session, made to read what requests have committed since."""
    db.rollback()
    db.expire_all()
    return db


def text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def errors(response: TestResponse) -> list[str]:
    return [html.unescape(m) for m in ERROR.findall(response.get_data(as_text=True))]


def mails_to(db: Session, email: str) -> list[OutboxMessage]:
    return list(
        fresh(db).exec(
            select(OutboxMessage)
            .where(OutboxMessage.to_email == email)
            .order_by(col(OutboxMessage.id))
        )
    )


def link_in(message: OutboxMessage) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def actions(db: Session, user: User, *, auth: bool = False) -> list[str]:
    """The audit entries about the account: its changes, or (`auth`) its logins, failures..."""
    is_auth = col(AuditEntry.action).startswith("auth.")
    return list(
        fresh(db).exec(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "user_account", AuditEntry.object_id == str(user.id))
            .where(is_auth if auth else ~is_auth)
            .order_by(col(AuditEntry.id))
        )
    )


def reload(db: Session, user: User) -> User:
    found = fresh(db).get(User, user.id)
    assert found is not None
    return found


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/account/").status_code == 200


def submit_password(client: FlaskClient, path: str, password: str) -> TestResponse:
    return client.post(path, data={"password": password, "confirm": password})


class Clock:
    """A settable UTC clock for the TOTP time steps and the lockout window."""

    def __init__(self) -> None:
        # The middle of a time step, so that no step boundary is crossed by accident.
        step = int(time.time()) // 30
        self.now = datetime.fromtimestamp(step * 30 + 15, UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def code(self, user: User, steps: int = 0) -> str:
        step = int(self.now.timestamp()) // 30 + steps
        return pyotp.TOTP(twofactor.secret_of(user)).generate_otp(step)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(twofactor, "utcnow", clock)
    monkeypatch.setattr(services, "utcnow", clock)
    monkeypatch.setattr(lockout, "utcnow", clock)
    return clock


@pytest.fixture
def link_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Move the clock of itsdangerous (signed links, and the session cookie) forward."""
    real = time.time

    def travel(seconds: float) -> None:
        monkeypatch.setattr(
            itsdangerous.timed, "time", SimpleNamespace(time=lambda: real() + seconds)
        )

    return travel


@pytest.fixture
def require_two_factor(app: Flask, service_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    for instance in (app, service_app):
        monkeypatch.setitem(instance.config, "TWO_FACTOR_REQUIRED_ROLES", REQUIRED)


@pytest.fixture
def new_client(app: Flask) -> Callable[[], FlaskClient]:
    return app.test_client


def register(db: Session, secretariat: User, email: str = "ama.owusu@gov-gh.example") -> User:
    user = services.register_user(
        db,
        actor=secretariat,
        email=email,
        full_name="Ama Owusu",
        state_code="GHA",
        is_secretariat=False,
        locale="en",
    )
    db.commit()
    return user


def enrol(client: FlaskClient, db: Session, user: User, clock: Clock) -> list[str]:
    """Set up two-step verification through its page; the recovery codes shown."""
    page = client.get("/account/two-factor/setup")
    assert page.status_code == 200, page.headers.get("Location")
    assert "otpauth://totp/" in text(page)
    response = client.post("/account/two-factor/setup", data={"code": clock.code(reload(db, user))})
    assert response.status_code == 200, text(response)
    codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    return codes


def password_step(client: FlaskClient, user: User, password: str = PASSWORD) -> TestResponse:
    return client.post("/login", data={"email": user.email, "password": password})


# --- registration and activation --------------------------------------------------------------


def test_the_secretariat_registers_a_nominee_who_activates_the_account_once(
    db: Session, client: FlaskClient, secretariat: User, new_client: Callable[[], FlaskClient]
) -> None:
    login(client, secretariat)
    assert "Register a user" in text(client.get("/users/new"))
    response = client.post(
        "/users/new",
        data={
            "email": "Ama.Owusu@gov-gh.example",
            "full_name": "Ama Owusu",
            "state_code": "GHA",
            "locale": "fr",
        },
    )
    assert response.status_code == 302
    user = services.find_user(fresh(db), "ama.owusu@gov-gh.example")
    assert user is not None and user.password_hash is None and user.locale == "fr"
    assert actions(db, user) == ["account.create", "account.activation_sent"]
    [mail] = mails_to(db, user.email)
    assert "Activez" in mail.subject or "Activate" in mail.subject
    path = link_in(mail)
    assert path.startswith("/activate/")
    assert "Waiting for activation" in text(client.get("/users/"))

    visitor = new_client()
    # Opening the link (as a mail scanner would) changes nothing; it still works after.
    assert "Activate your account" in text(visitor.get(path))
    assert "Activate your account" in text(visitor.get(path))
    assert reload(db, user).password_hash is None
    refused = submit_password(visitor, path, "ama.owusu-in-accra")
    assert errors(refused) == [
        "Your password must not contain your e-mail address or the part of it before the @."
    ]
    done = submit_password(visitor, path, NEW_PASSWORD)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")

    user = reload(db, user)
    assert user.activated_at is not None and user.password_changed_at is not None
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert actions(db, user)[-1] == "account.activate"
    assert visitor.get(path).status_code == 404
    again = submit_password(visitor, path, "another password, just as long")
    assert again.status_code == 404 and "This link cannot be used" in text(again)
    login(visitor, user, NEW_PASSWORD)
    assert is_logged_in(visitor)


def test_registration_rules(db: Session, client: FlaskClient, secretariat: User) -> None:
    login(client, secretariat)
    base = {"email": "someone@gov-gh.example", "full_name": "Someone", "locale": "en"}
    state_and_secretariat = client.post(
        "/users/new", data={**base, "state_code": "GHA", "is_secretariat": "y"}
    )
    assert errors(state_and_secretariat) == ["Secretariat staff act for no State: choose no State."]
    neither = client.post("/users/new", data={**base, "state_code": ""})
    assert errors(neither) == ["Choose the State that nominated the person."]
    staff = client.post("/users/new", data={**base, "state_code": "", "is_secretariat": "y"})
    assert staff.status_code == 302
    duplicate = client.post(
        "/users/new", data={**base, "email": "SOMEONE@gov-gh.example", "state_code": "GHA"}
    )
    assert errors(duplicate) == ["An account with this e-mail address already exists."]
    created = services.find_user(fresh(db), "someone@gov-gh.example")
    assert created is not None and created.is_secretariat and created.state_code is None


def test_only_the_secretariat_sees_the_user_pages(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    assert client.get("/users/").status_code == 302  # to the login page
    login(client, make_user("GHA"))
    assert client.get("/users/").status_code == 404
    assert client.get("/users/new").status_code == 404
    assert client.post("/users/1/activation").status_code == 404


def test_activation_link_expires_after_ten_days(
    db: Session,
    secretariat: User,
    new_client: Callable[[], FlaskClient],
    link_clock: Callable[[float], None],
) -> None:
    user = register(db, secretariat)
    path = link_in(mails_to(db, user.email)[0])
    ten_days = 10 * 24 * 3600

    link_clock(ten_days - 60)
    assert new_client().get(path).status_code == 200
    link_clock(ten_days + 60)
    expired = new_client().get(path)
    assert expired.status_code == 404
    assert "Activation links work once, for 10 days." in text(expired)
    assert submit_password(new_client(), path, NEW_PASSWORD).status_code == 404
    assert reload(db, user).password_hash is None


def test_a_new_activation_link_voids_the_earlier_one(
    db: Session, client: FlaskClient, secretariat: User, new_client: Callable[[], FlaskClient]
) -> None:
    user = register(db, secretariat)
    first = link_in(mails_to(db, user.email)[0])
    login(client, secretariat)
    assert client.post(f"/users/{user.id}/activation").status_code == 302
    second = link_in(mails_to(db, user.email)[1])
    assert new_client().get(first).status_code == 404
    assert new_client().get(second).status_code == 200
    # Not valid as a reset link either: each purpose has its own salt.
    token = second.rsplit("/", 1)[1]
    assert new_client().get(f"/password/reset/{token}").status_code == 404


# --- password reset ---------------------------------------------------------------------------


def test_password_reset_by_link(
    db: Session, make_user: Callable[..., User], new_client: Callable[[], FlaskClient]
) -> None:
    user = make_user("GHA")
    already = new_client()
    login(already, user)
    visitor = new_client()
    sent = visitor.post("/password/reset", data={"email": user.email.upper()})
    assert "If an account exists for the address you entered" in text(sent)
    [mail] = mails_to(db, user.email)
    path = link_in(mail)
    assert path.startswith("/password/reset/")
    assert "within 60 minutes" in mail.body

    assert "Choose a new password" in text(visitor.get(path))
    assert submit_password(visitor, path, NEW_PASSWORD).status_code == 302
    assert submit_password(visitor, path, "yet another long passphrase").status_code == 404
    assert not is_logged_in(already)  # the sessions from before the reset have ended

    wrong = new_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert wrong.status_code == 200
    login(new_client(), user, NEW_PASSWORD)
    assert actions(db, user) == ["account.password_reset_sent", "account.password_reset"]
    notices = [m for m in mails_to(db, user.email) if "Security notice" in m.subject]
    assert len(notices) == 1 and "password of your account was changed" in notices[0].body


def test_reset_link_expires_after_an_hour(
    db: Session,
    make_user: Callable[..., User],
    new_client: Callable[[], FlaskClient],
    link_clock: Callable[[float], None],
) -> None:
    user = make_user("GHA")
    services.request_password_reset(db, user.email)
    db.commit()
    path = link_in(mails_to(db, user.email)[0])
    link_clock(59 * 60)
    assert new_client().get(path).status_code == 200
    link_clock(61 * 60)
    assert new_client().get(path).status_code == 404


def main_content(response: TestResponse) -> str:
    """The page's <main> element: what it says, without the header around it."""
    match = re.search(r"<main\b.*?</main>", response.get_data(as_text=True), re.S)
    assert match, "no <main> element"
    return match[0]


def test_reset_request_answers_the_same_whatever_the_address(
    db: Session, make_user: Callable[..., User], client: FlaskClient
) -> None:
    user = make_user("GHA")
    known = client.post("/password/reset", data={"email": user.email})
    unknown = client.post("/password/reset", data={"email": "nobody@gov-gh.example"})
    assert known.status_code == unknown.status_code == 200
    # The page's main content, not the whole page: the header's CSRF token carries the time.
    answer = main_content(known)
    assert "If an account exists for the address you entered" in answer
    assert main_content(unknown) == answer
    assert mails_to(db, "nobody@gov-gh.example") == []
    # Asked again at once: the same answer, but no second e-mail to flood the mailbox.
    again = client.post("/password/reset", data={"email": user.email})
    assert main_content(again) == answer
    assert len(mails_to(db, user.email)) == 1


# --- the password policy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short words", "Your password must be at least 12 characters long."),
        (
            "kwame.mensah-1975",
            "Your password must not contain your e-mail address or the part of it before the @.",
        ),
        ("Password1234!", "This password is too common"),
        ("correct horse battery staple", "This password is too common"),
        ("qwertyuiopqwertyuiop", "This password is too common"),
        ("abababababababab", "Your password repeats too few different characters."),
    ],
)
def test_password_policy_messages(
    db: Session,
    make_user: Callable[..., User],
    client: FlaskClient,
    password: str,
    message: str,
) -> None:
    user = make_user("GHA", email="kwame.mensah@gov-gh.example")
    login(client, user)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": password, "confirm": password},
    )
    assert response.status_code == 200
    [shown] = errors(response)
    assert shown.startswith(message)
    assert reload(db, user).password_changed_at == user.password_changed_at


def test_passwords_the_policy_accepts() -> None:
    for password in (NEW_PASSWORD, "Sunshine over the Danube, 2024", "tb7#Qx!m2Lp9"):
        assert password_problems(password, "ama@gov-gh.example") == [], password
    assert password_problems("x" * 257) != []


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    db: Session, make_user: Callable[..., User], new_client: Callable[[], FlaskClient]
) -> None:
    user = make_user("GHA")
    here, elsewhere = new_client(), new_client()
    login(here, user)
    login(elsewhere, user)
    wrong = here.post(
        "/account/password",
        data={"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert errors(wrong) == ["Your current password is not right."]
    changed = here.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert actions(db, user) == ["account.password_change"]
    login(new_client(), user, NEW_PASSWORD)


def test_logging_out_ends_a_copy_of_the_session_cookie(
    make_user: Callable[..., User], new_client: Callable[[], FlaskClient]
) -> None:
    user = make_user("GHA")
    mine, copy = new_client(), new_client()
    login(mine, user)
    cookie = mine.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value, domain="localhost")
    assert is_logged_in(copy)
    mine.post("/logout")
    assert not is_logged_in(copy)


# --- two-step verification --------------------------------------------------------------------


def test_enrolment_login_with_a_code_and_replay_refused(
    db: Session, make_user: Callable[..., User], client: FlaskClient, clock: Clock
) -> None:
    user = make_user("GHA")
    login(client, user)
    codes = enrol(client, db, user, clock)
    user = reload(db, user)
    assert user.has_two_factor and user.totp_last_step is not None
    secret = twofactor.secret_of(user)
    assert secret not in repr(user.model_dump()), "the TOTP secret is not stored"
    stored = fresh(db).exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not {c.code_hash for c in stored} & set(codes)
    assert actions(db, user) == ["account.2fa_enable"]

    client.post("/logout")
    first = password_step(client, user)
    assert first.headers["Location"].endswith("/login/code")
    # Half logged in: nothing but the code page.
    for url in ("/", "/account/", "/users/", "/account/two-factor/setup"):
        assert client.get(url).status_code == 302, url
    assert client.get("/login/code").status_code == 200
    # The code used to enrol cannot be used again, even within its 30 seconds.
    replayed = client.post("/login/code", data={"code": clock.code(user)})
    assert errors(replayed) == ["The code is not right. Enter the current code from your app."]
    ahead = clock.code(user, steps=1)  # the next step is accepted (clock drift)
    assert client.post("/login/code", data={"code": ahead}).status_code == 302
    assert is_logged_in(client)

    client.post("/logout")
    password_step(client, user)
    assert client.post("/login/code", data={"code": ahead}).status_code == 200  # replay
    clock.advance(seconds=60)
    assert client.post("/login/code", data={"code": clock.code(user)}).status_code == 302


def test_codes_of_earlier_steps_are_refused_once_a_later_one_was_used(
    db: Session, make_user: Callable[..., User], clock: Clock
) -> None:
    user = make_user("GHA")
    twofactor.start_enrolment(db, user)
    twofactor.confirm_enrolment(db, user, clock.code(user), now=clock.now)
    clock.advance(seconds=30)
    later = clock.code(user)
    earlier = clock.code(user, steps=-1)
    assert twofactor.verify_code(db, user, later, now=clock.now) == "totp"
    assert twofactor.verify_code(db, user, later, now=clock.now) is None
    assert twofactor.verify_code(db, user, earlier, now=clock.now) is None
    assert twofactor.verify_code(db, user, clock.code(user, steps=3), now=clock.now) is None


def test_a_recovery_code_logs_in_once(
    db: Session, make_user: Callable[..., User], client: FlaskClient, clock: Clock
) -> None:
    user = make_user("GHA")
    login(client, user)
    codes = enrol(client, db, user, clock)
    client.post("/logout")

    password_step(client, user)
    used = client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")})
    assert used.status_code == 302
    assert "9 remain" in text(client.get("/"))
    assert actions(db, user)[-1] == "account.2fa_recovery_use"
    assert any("recovery code was used" in m.body for m in mails_to(db, user.email))

    client.post("/logout")
    password_step(client, user)
    again = client.post("/login/code", data={"code": codes[3]})
    assert errors(again) == ["The code is not right. Enter the current code from your app."]
    assert not is_logged_in(client)


def test_the_pending_login_expires(
    db: Session,
    make_user: Callable[..., User],
    client: FlaskClient,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user("GHA")
    login(client, user)
    enrol(client, db, user, clock)
    client.post("/logout")
    password_step(client, user)
    later = time.time() + login_state.PENDING_SECONDS + 1
    monkeypatch.setattr(login_state, "time", SimpleNamespace(time=lambda: later))
    late = client.post("/login/code", data={"code": clock.code(user, steps=1)})
    assert late.status_code == 302 and late.headers["Location"].endswith("/login")
    assert not is_logged_in(client)


def test_turning_two_step_verification_off_and_new_recovery_codes(
    db: Session,
    make_user: Callable[..., User],
    new_client: Callable[[], FlaskClient],
    clock: Clock,
) -> None:
    user = make_user("GHA")
    here = new_client()
    login(here, user)
    old_codes = enrol(here, db, user, clock)

    refused = here.post("/account/two-factor/recovery-codes", data={"codes-password": "nope"})
    assert "Your password is not right." in errors(refused)
    renewed = here.post("/account/two-factor/recovery-codes", data={"codes-password": PASSWORD})
    new_codes = RECOVERY_CODE.findall(renewed.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)

    elsewhere = new_client()
    password_step(elsewhere, user)
    assert elsewhere.post("/login/code", data={"code": old_codes[0]}).status_code == 200
    assert elsewhere.post("/login/code", data={"code": new_codes[0]}).status_code == 302
    assert is_logged_in(elsewhere)

    wrong = here.post("/account/two-factor/disable", data={"disable-password": "nope"})
    assert "Your password is not right." in errors(wrong)
    assert reload(db, user).has_two_factor
    off = here.post("/account/two-factor/disable", data={"disable-password": PASSWORD})
    assert off.status_code == 302
    assert is_logged_in(here) and not is_logged_in(elsewhere)
    user = reload(db, user)
    assert not user.has_two_factor and user.totp_seed is None
    assert fresh(db).exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    assert actions(db, user)[-3:] == [
        "account.2fa_recovery_regenerate",
        "account.2fa_recovery_use",
        "account.2fa_disable",
    ]
    assert password_step(new_client(), user).headers["Location"].endswith("/")


def test_the_secretariat_turns_off_a_lost_second_factor(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    new_client: Callable[[], FlaskClient],
    clock: Clock,
) -> None:
    user = make_user("GHA")
    theirs = new_client()
    login(theirs, user)
    enrol(theirs, db, user, clock)
    staff = new_client()
    login(staff, secretariat)
    assert staff.post(f"/users/{user.id}/two-factor/reset").status_code == 302
    assert not reload(db, user).has_two_factor
    assert not is_logged_in(theirs)
    entry = fresh(db).exec(select(AuditEntry).where(AuditEntry.action == "account.2fa_reset")).one()
    assert entry.actor_id == secretariat.id and entry.object_id == str(user.id)


# --- who must use two-step verification -------------------------------------------------------


@pytest.mark.usefixtures("require_two_factor")
def test_a_focal_point_must_set_up_two_step_verification_before_anything(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    clock: Clock,
) -> None:
    review = make_review("GHA")
    focal, expert = make_user("GHA"), make_user("GHA")
    member(review, focal, "focal_point")
    member(review, expert, "expert")

    expert_client = new_client()
    assert password_step(expert_client, expert).headers["Location"].endswith("/")
    assert is_logged_in(expert_client)

    first = password_step(client, focal)
    assert first.headers["Location"].endswith("/account/two-factor/setup")
    for url in ("/", f"/reviews/{review.id}/", "/account/"):
        assert client.get(url).status_code == 302, url
    assert client.post(f"/reviews/{review.id}/submit").status_code in (302, 401)
    page = client.get("/account/two-factor/setup")
    assert "Your role requires it" in text(page)
    enrol(client, db, focal, clock)
    assert client.get(f"/reviews/{review.id}/").status_code == 200

    client.post("/logout")
    assert password_step(client, focal).headers["Location"].endswith("/login/code")


@pytest.mark.usefixtures("require_two_factor")
def test_the_secretariat_must_set_up_two_step_verification(
    db: Session, secretariat: User, client: FlaskClient, clock: Clock
) -> None:
    first = password_step(client, secretariat)
    assert first.headers["Location"].endswith("/account/two-factor/setup")
    assert client.get("/users/").status_code == 302
    enrol(client, db, secretariat, clock)
    assert client.get("/users/").status_code == 200


def test_someone_made_focal_point_during_a_session_is_sent_to_set_it_up(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    client: FlaskClient,
    request: pytest.FixtureRequest,
) -> None:
    review = make_review("GHA")
    focal = make_user("GHA")
    login(client, focal)
    member(review, focal, "focal_point")
    request.getfixturevalue("require_two_factor")
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith(
        "/account/two-factor/setup"
    )
    assert client.post(f"/reviews/{review.id}/submit").status_code == 401
    assert client.get("/account/two-factor/setup").status_code == 200


# --- lockouts and rate limits -----------------------------------------------------------------


@pytest.fixture
def lockout_after_three(app: Flask, service_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    for instance in (app, service_app):
        monkeypatch.setitem(instance.config, "LOGIN_LOCKOUT_ATTEMPTS", 3)
        monkeypatch.setitem(instance.config, "TWO_FACTOR_LOCKOUT_ATTEMPTS", 3)


@pytest.mark.usefixtures("lockout_after_three")
def test_failed_logins_lock_an_address_with_the_same_message_whether_it_exists_or_not(
    db: Session, make_user: Callable[..., User], client: FlaskClient, clock: Clock
) -> None:
    user = make_user("GHA")
    seen: dict[str, list[list[str]]] = {}
    for email in (user.email, "nobody@gov-gh.example"):
        attempts = [
            client.post("/login", data={"email": email, "password": "wrong password"})
            for _ in range(3)
        ]
        right = client.post("/login", data={"email": email, "password": PASSWORD})
        seen[email] = [errors(response) for response in [*attempts, right]]
    assert seen[user.email] == seen["nobody@gov-gh.example"]
    wrong, locked = seen[user.email][0], seen[user.email][-1]
    assert wrong == ["The e-mail address or the password is not right."]
    assert seen[user.email][1:] == [wrong, locked, locked]
    assert locked[0].startswith(
        "Too many failed attempts to log in with this e-mail address from your connection."
    )
    assert not is_logged_in(client)

    assert actions(db, user, auth=True) == [*["auth.failure"] * 3, "auth.lockout", "auth.refused"]
    assert len([m for m in mails_to(db, user.email) if "blocked" in m.body]) == 1
    clock.advance(minutes=16)
    login(client, user)
    assert fresh(db).exec(select(LoginFailure).where(LoginFailure.email == user.email)).all() == []


@pytest.mark.usefixtures("lockout_after_three")
def test_wrong_codes_lock_the_account(
    db: Session, make_user: Callable[..., User], client: FlaskClient, clock: Clock
) -> None:
    user = make_user("GHA")
    login(client, user)
    enrol(client, db, user, clock)
    client.post("/logout")
    password_step(client, user)
    for _ in range(2):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 200
    third = client.post("/login/code", data={"code": "000000"})
    assert third.status_code == 302 and third.headers["Location"].endswith("/login")
    assert client.get("/login/code").status_code == 302  # the pending login is gone
    again = password_step(client, user)
    assert errors(again)[0].startswith("Too many failed attempts")
    assert "auth.lockout" in actions(db, user, auth=True)


@pytest.fixture
def limited_client(test_config: dict[str, object]) -> Iterator[FlaskClient]:
    """A client of an application with rate limits on, on the same database (the other
    applications of the test session keep theirs off)."""
    limited = create_app(
        {**test_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"},
        check_schema=False,
    )
    limiter.reset()
    try:
        yield limited.test_client()
    finally:
        limiter.reset()
        database.get_engine(limited).dispose()


@pytest.mark.usefixtures("db")
def test_rate_limits_answer_429_with_a_neutral_page(limited_client: FlaskClient) -> None:
    def hammer(path: str, times: int, **kwargs: object) -> list[int]:
        method = limited_client.post if kwargs else limited_client.get
        return [method(path, **kwargs).status_code for _ in range(times)]  # type: ignore[arg-type]

    logins = hammer("/login", 11, data={"email": "a@gov-gh.example", "password": "x"})
    assert logins[:10] == [200] * 10 and logins[10] == 429
    blocked = limited_client.post("/login", data={"email": "b@gov-gh.example", "password": "x"})
    assert blocked.status_code == 429
    assert "too many attempts from your connection" in text(blocked)
    assert "Retry-After" in blocked.headers

    resets = hammer("/password/reset", 6, data={"email": "a@gov-gh.example"})
    assert resets[:5] == [200] * 5 and resets[5] == 429
    codes = hammer("/login/code", 6, data={"code": "123456"})
    assert 429 not in codes[:5] and codes[5] == 429
    assert hammer("/activate/not-a-token", 11)[-1] == 429


def test_an_application_without_limits_is_not_limited_by_another_one(
    limited_client: FlaskClient, client: FlaskClient
) -> None:
    for _ in range(12):
        assert (
            client.post("/login", data={"email": "a@gov-gh.example", "password": "x"}).status_code
            == 200
        )


def test_the_idle_timeout_endpoints(
    make_user: Callable[..., User], client: FlaskClient, app: Flask
) -> None:
    assert client.get("/session").status_code == 401
    assert client.post("/session").status_code == 401
    login(client, make_user("GHA"))
    state = client.get("/session").get_json()
    lifetime = app.permanent_session_lifetime.total_seconds()
    assert state["idle_seconds"] == lifetime - login_state.RENEW_SECONDS
    assert state["warning_seconds"] == 5 * 60
    assert state["texts"]["stay"] == "Stay logged in"
    assert client.post("/session").status_code == 200


def test_requests_renew_the_session_at_most_once_a_minute(
    make_user: Callable[..., User], client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, make_user("GHA"))
    start = time.time()

    def renews_at(offset: float, method: str = "get") -> bool:
        monkeypatch.setattr(login_state, "time", SimpleNamespace(time=lambda: start + offset))
        response = getattr(client, method)("/session")
        assert response.status_code == 200
        return "session=" in response.headers.get("Set-Cookie", "")

    assert not renews_at(5)
    assert not renews_at(login_state.RENEW_SECONDS - 5)
    assert renews_at(login_state.RENEW_SECONDS + 1)
    assert not renews_at(login_state.RENEW_SECONDS + 2)
    assert renews_at(login_state.RENEW_SECONDS + 3, "post")  # "Stay logged in" always renews
    monkeypatch.undo()
    assert is_logged_in(client)


def test_sessions_end_after_the_absolute_limit(
    make_user: Callable[..., User], client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, make_user("GHA"))
    later = time.time() + 12 * 3600 + 60
    monkeypatch.setattr(login_state, "time", SimpleNamespace(time=lambda: later))
    ended = client.get("/")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    monkeypatch.undo()
    assert not is_logged_in(client)


def test_emailed_links_are_built_on_the_public_address_not_the_host_header(
    db: Session,
    make_user: Callable[..., User],
    client: FlaskClient,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user("GHA")
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://review.example.org/")
    client.post("/password/reset", data={"email": user.email}, headers={"Host": "attacker.example"})
    [mail] = mails_to(db, user.email)
    assert "https://review.example.org/password/reset/" in mail.body
    assert "attacker.example" not in mail.body


def test_real_e_mail_needs_the_public_address(test_config: dict[str, object]) -> None:
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        config = {**test_config, "MAIL_SERVER": "smtp.example.org", "PUBLIC_BASE_URL": None}
        create_app(config, check_schema=False)
