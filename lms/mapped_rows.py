"""Rows of every column of a mapped class, made the session's objects without the ORM's loading.

A few hot paths read or write rows themselves (the signed-in person's row on every request; a new
attempt and its items, written with INSERT … RETURNING) because the ORM's set-up around a statement
costs more than the rows. `MappedRows.make` then makes the object the ORM would have made from the
same row: persistent in the session's identity map, every column loaded and unchanged, its
relationships not loaded (each loads on first use, as with `lazyload`). An object already in the
session is returned as it is, or, with `refresh`, takes the row's values (as `populate_existing`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Table
from sqlalchemy.orm import Mapper, Session, class_mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import NamedColumn

T = TypeVar("T")


class MappedRows(Generic[T]):
    """One mapped class's columns, in the order `make` takes a row's values."""

    def __init__(self, cls: type[T]) -> None:
        self.mapper: Mapper[T] = class_mapper(cls)
        #: The class's table (for the INSERT … RETURNING that writes its rows).
        self.table: Table = self.mapper.local_table  # type: ignore[assignment]  # a mapped class's table
        properties = tuple(self.mapper.column_attrs)
        #: Select (or return) these first: `make` reads a row's first `len(columns)` values.
        self.columns: tuple[NamedColumn[Any], ...] = tuple(prop.columns[0] for prop in properties)
        self.keys = tuple(prop.key for prop in properties)
        #: Where a row's primary key is (None there: an outer join found no row).
        self.id_index = self.keys.index("id")

    def make(self, session: Session, row: Sequence[Any], *, refresh: bool = False) -> T:
        """The object whose columns open `row`, persistent in `session`."""
        values = row[: len(self.keys)]
        identity = self.mapper.identity_key_from_primary_key((row[self.id_index],))
        found = session.identity_map.get(identity)
        if found is not None:
            if refresh:
                for key, value in zip(self.keys, values, strict=True):
                    set_committed_value(found, key, value)
            found_object: T = found
            return found_object
        made = self.mapper.class_manager.new_instance()
        # As the ORM's loading does: the values go into the instance's dict, not through its
        # attributes (which would record each as a change to write).
        made.__dict__.update(zip(self.keys, values, strict=True))
        make_transient_to_detached(made)  # its identity set, nothing pending, the rest not loaded
        session.add(made)  # persistent: in the identity map, as a loaded row is
        return made
