"""Flask extensions, created once here and bound to each app in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared per view (login, verification) with `lms.web.rate_limits.limited`, and only
# those views check them (its hook): nothing is limited by default, and no other request pays.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True, auto_check=False)
