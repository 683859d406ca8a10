"""The ceiling every page is measured against: a one-file Flask app under the same gunicorn settings.

`GET /ping` answers a small HTML page, `POST`/`PUT /ping` reads a JSON body and answers JSON, so reads
and writes each have their bare-Flask cost (`gunicorn bench.ceiling:app`)."""

from __future__ import annotations

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/ping")
def ping() -> str:
    """A small page."""
    return "<!doctype html><title>ping</title><p>pong</p>"


@app.route("/ping", methods=["POST", "PUT"])
def ping_write() -> object:
    """A JSON body in, a JSON answer out."""
    return jsonify(received=request.get_json(silent=True))
