"""The signed session cookie: Flask's own, with its signer built once rather than on every request.

Flask's `SecureCookieSessionInterface` builds a new `URLSafeTimedSerializer` at the start of every
request, and again to write the cookie, even for a request that sends no cookie at all (every API
call, which signs in with a token). Here the serializer is built once per set of keys (the secret
key and its fallbacks; a change of either builds a new one) and a request without the cookie gets
its empty session straight away. What is signed, how, and what is accepted are Flask's, unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

if TYPE_CHECKING:
    from flask import Flask, Request
    from itsdangerous import URLSafeTimedSerializer


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with the signer kept between requests."""

    def __init__(self) -> None:
        super().__init__()
        #: (the keys, the serializer built for them), replaced whole: a thread reading it while
        #: another replaces it sees one pair or the other, never new keys with an old serializer.
        self._kept: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer for the app's current keys, built when they change."""
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = (keys, super().get_signing_serializer(app))
            self._kept = kept
        return kept[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The cookie's session; an empty one, without reading any key, when there is no cookie."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)
