# Types of the parts of Flask-Login 0.6 the project uses: the package ships no annotations, so
# without this file every view under @login_required is untyped for mypy.
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from flask import Flask

_P = ParamSpec("_P")
_R = TypeVar("_R")
_F = TypeVar("_F", bound=Callable[..., Any])

#: The signed-in person (a proxy of questionnaire.accounts.models.User, or of an anonymous one).
current_user: Any

class LoginManager:
    login_view: str | None
    login_message: Any
    login_message_category: str
    session_protection: str | None
    anonymous_user: type[Any]
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _F) -> _F: ...
    def request_loader(self, callback: _F) -> _F: ...
    def unauthorized_handler(self, callback: _F) -> _F: ...
    def unauthorized(self) -> Any: ...
    def __getattr__(self, name: str) -> Any: ...

def login_required(func: Callable[_P, _R]) -> Callable[_P, _R]: ...
def login_user(
    user: Any,
    remember: bool = False,
    duration: Any = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...
