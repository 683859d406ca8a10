"""JSON errors for the API: {"error": {"code", "message", "field"?}} with the right status."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, jsonify
from werkzeug.wrappers import Response


class ApiError(Exception):
    """An error answered as JSON."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def response(self) -> Response:
        """The JSON response for this error."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        resp = jsonify(error=body)
        resp.status_code = self.status
        return resp


def fail(status: int, code: str, message: str, field: str | None = None) -> NoReturn:
    """Stop the request with a JSON error."""
    raise ApiError(status, code, message, field)


def not_found(message: str = "Not found.") -> NoReturn:
    """A 404 that tells nothing about whether the thing exists for someone else."""
    fail(404, "not_found", message)


__all__ = ["ApiError", "abort", "fail", "not_found"]
