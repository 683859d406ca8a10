"""The agent field of the staff forms (spot checks, assignments): staff type part of a name or a
username and pick from the matches (`agent_search`), which the page asks for as they type (htmx
fills the field's datalist; without scripts, an exact username still works and a wrong one is
answered with the matches)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy.orm import Session

from lms.access import roles_required
from lms.db import db_session
from lms.domain.accounts.agent_search import agent_by_entry, find_agents
from lms.models import Role

bp = Blueprint("agent_picker", __name__)


@bp.get("/staff/agents/suggest")
@roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
def suggest() -> str:
    """The datalist options for what was typed into an agent field (`?agent=`)."""
    return render_template(
        "macros/agent_options.html", options=find_agents(db_session(), request.args.get("agent", ""))
    )


def agent_field(session: Session, entered: str | None, wrong: bool = False) -> dict[str, Any]:
    """The template values of an agent field: what it shows (the named agent's username, else what
    was typed) and the matches to suggest with it (when what was typed names nobody, or was refused)."""
    text = (entered or "").strip()
    agent = agent_by_entry(session, text) if text else None
    if agent is not None and not wrong:
        return {"agent_value": agent.username, "agent_options": []}
    return {"agent_value": text, "agent_options": find_agents(session, text) if text else []}
