"""Running the same work in parallel threads, each with its own session, released together."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session


def run_in_parallel(app: Flask, n: int, work: Callable[[Session], object]) -> list[BaseException]:
    """Run `work(session)` in n threads at once (each commits); return the exceptions raised."""
    database = app.extensions["lms.db"]
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run() -> None:
        session = database.session()
        try:
            barrier.wait()
            work(session)
            session.commit()
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            session.rollback()
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
