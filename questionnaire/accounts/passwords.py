"""The password policy: long enough, not built on the e-mail address, not a common password.

After NIST SP 800-63B: a minimum length and a list of passwords attackers try first, and no
composition rules (no "one digit and one symbol") or periodic changes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 256
#: Fewer different characters than this is a repetition ("aaaaaaaaaaaa", "121212121212").
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"
_SEPARATORS = re.compile(r"[\s\-_.]+")
#: Characters people put before or after a common word to pass a policy ("Password1234!").
_AFFIXES = "0123456789!@#$%^&*?+=~,;:/\\|()[]{}<>'\"`"
_REPEATED = re.compile(r"(.+?)\1+")

TOO_SHORT = _l("Your password must be at least %(min)d characters long.", min=MIN_LENGTH)
TOO_LONG = _l("Your password must be at most %(max)d characters long.", max=MAX_LENGTH)
CONTAINS_EMAIL = _l(
    "Your password must not contain your e-mail address or the part of it before the @."
)
TOO_COMMON = _l(
    "This password is too common: it is in the lists that attackers try first. "
    "Choose a less predictable one, for example several unrelated words."
)
TOO_REPETITIVE = _l(
    "Your password repeats too few different characters. "
    "Choose a less predictable one, for example several unrelated words."
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, in the form passwords are compared in."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_skeleton(line) for line in lines if line and not line.startswith("#"))


def _skeleton(text: str) -> str:
    return _SEPARATORS.sub("", text.lower())


def is_common(password: str) -> bool:
    """A listed password, as is, wrapped in digits or symbols, or repeated."""
    listed = common_passwords()
    skeleton = _skeleton(password)
    core = skeleton.strip(_AFFIXES)
    candidates = {skeleton, core}
    for text in (skeleton, core):
        if match := _REPEATED.fullmatch(text):
            candidates.add(match.group(1))
    return any(candidate in listed for candidate in candidates if candidate)


def password_problems(password: str, email: str | None = None) -> list[LazyString]:
    """Why `password` may not be used by the owner of `email`; empty when it may."""
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    problems: list[LazyString] = []
    lowered = password.lower()
    if email:
        email = email.strip().lower()
        local_part = email.partition("@")[0]
        if email in lowered or (len(local_part) >= 3 and local_part in lowered):
            problems.append(CONTAINS_EMAIL)
    if is_common(password):
        problems.append(TOO_COMMON)
    elif len(set(lowered)) < MIN_DISTINCT_CHARACTERS:
        problems.append(TOO_REPETITIVE)
    return problems
