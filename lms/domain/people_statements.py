"""Statements over a set of people, built once.

Building a SQLAlchemy statement and computing its cache key costs more than running it on a small
table (about 0.3–1 ms against 0.1 ms on the Today page), and the go-live gate, the drills and the
practice chats ask the same questions for one learner on every page view. `PerPeople` builds such a
statement once with the people as an expanding bound parameter (`who`), so a list of ids only binds
values; a select of ids (a team) is still built into the statement afresh, so a large group never
turns into thousands of bound values. A `Group` (a select of ids with bound parameters of its own,
such as "the active learners of these cohorts") is built in once per group, so the cohort matrix
binds a cohort id instead of 200 learner ids.

One person (a learner's own page, the commonest call) gets a statement of its own with the person as
a plain bound value: an expanding parameter makes SQLAlchemy rewrite the statement's SQL text on every
execution (a tenth of the Today page's go-live statement). `fixed_ids` writes a short list of ids
that belongs to the programme (its gating quizzes, courses, practice chats) into the SQL for the same
reason, in statements built once per list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Executable, Select, bindparam, false, literal_column
from sqlalchemy.orm import InstrumentedAttribute

S = TypeVar("S", bound=Executable)

#: The people as the prebuilt statements bind them.
WHO: BindParameter[Any] = bindparam("who", expanding=True)
#: One person as the prebuilt statements bind them: `column.in_(ONE)` is `column IN (?)`.
ONE: list[BindParameter[int]] = [bindparam("person")]


def fixed_ids(
    column: ColumnElement[int] | InstrumentedAttribute[int], ids: Sequence[int]
) -> ColumnElement[bool]:
    """`column IN (3, 5, 8)` with the ids written into the SQL (they are integers, checked here), for a
    statement built once per list; an empty list matches nothing."""
    if not ids:
        return false()
    return column.in_([literal_column(str(int(i))) for i in ids])


@dataclass(frozen=True)
class Group:
    """A select of people ids, made once, whose own bound parameters are given per use (`bound`)."""

    name: str
    ids: Select[tuple[int]]
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def bound(self, **params: Any) -> Group:
        """This group for these parameter values (the same prebuilt select)."""
        return Group(self.name, self.ids, params)


class PerPeople(Generic[S]):
    """One statement over people: `build(who_clause)` is called once for lists and once per group,
    per call for other selects."""

    def __init__(self, build: Callable[[Any], S]) -> None:
        self._build = build
        self._prebuilt: S | None = None
        self._one: S | None = None
        self._per_group: dict[str, S] = {}

    def __call__(
        self, who: Group | Select[tuple[int]] | Sequence[int], **params: Any
    ) -> tuple[S, dict[str, Any]]:
        """The statement and its parameters for these people (add your own in `params`)."""
        if isinstance(who, Group):
            built = self._per_group.get(who.name)
            if built is None:
                built = self._per_group[who.name] = self._build(who.ids)
            return built, {**who.params, **params}
        if isinstance(who, Sequence) and len(who) == 1:
            if self._one is None:
                self._one = self._build(ONE)
            return self._one, {"person": who[0], **params}
        if isinstance(who, Sequence):
            if self._prebuilt is None:
                self._prebuilt = self._build(WHO)
            return self._prebuilt, {"who": list(who), **params}
        return self._build(who), params
