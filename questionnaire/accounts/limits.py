"""Rate limits per client address (Flask-Limiter; Redis storage when REDIS_URL is set).

The lockout per address and account (accounts.lockout) comes on top of these: these slow
down one client trying many accounts, the lockout and its delay many clients trying one.
"""

from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _off_for_this_application() -> bool:
    """Each application's RATELIMIT_ENABLED decides for its own requests. The limiter is one
    object per process and its `enabled` flag is global: without this, building a second
    application (the tests build several) would switch limits on or off for the first."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


LOGIN_LIMIT = "10 per minute; 100 per hour"
#: A 6-digit code: few tries per address (and 5 per account in the lockout window).
CODE_LIMIT = "5 per minute; 30 per hour"
LINK_LIMIT = "10 per minute; 60 per hour"
RESET_REQUEST_LIMIT = "5 per minute; 20 per hour"
