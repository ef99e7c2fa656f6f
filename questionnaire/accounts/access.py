"""Access rules declared once per view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

P = ParamSpec("P")
R = TypeVar("R")


def secretariat_required(view: Callable[P, R]) -> Callable[P, R]:
    """Only the secretariat; anyone else gets 404, as if the page did not exist."""

    @wraps(view)
    @login_required
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_secretariat:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
