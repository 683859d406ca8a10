"""Advancing a practice chat: replies per second through the chat window, against the bare-Flask ceiling.

Each round starts a run of "cheaper elsewhere" and answers its four turns the way a learner who
leads with value would (the Gold path): every reply is stamped, scored against the rule book and
its key points, the branch chosen and the next shopper line written. Reported: replies per second,
the ratio to a bare Flask app serving a page in the same process, and the queries one reply costs
(the last reply of a run costs more: it scores the run and publishes the event that checks
go-live and the tier ladder).
"""

from __future__ import annotations

import re
import time

from sqlalchemy import event

from bench.pages import PASSWORD, _bare_ceiling, bench_app
from lms.models import Role

GOLD = [
    "亲，能把链接发我看看吗？我帮您对比一下。我们这款是头层牛皮配铜五金；同样外观卖199的一般是PU或二层皮。",
    "亲，说实话它比PU的重一些，大概1.45公斤，要定期上护理油；好处是头层皮不会起皮，越用越有光泽。",
    "亲，走线、拉链和五金都有一年保修，每单还有运费险。",
    "谢谢亲！您看是要头层牛皮的399，还是PU的259？",
]
HX = {"HX-Request": "true"}


def bench_practice(seconds: float = 3.0) -> dict[str, float]:
    """Replies per second (whole runs, four replies each) and the queries per reply."""
    app, _tmp, _tree = bench_app("bench", Role.LEARNER, "lms-bench-practice-")
    database = app.extensions["lms.db"]
    ceiling = _bare_ceiling(2.0)
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": PASSWORD})

    def one_run() -> None:
        started = client.post("/practice/cheaper-elsewhere/start")
        match = re.search(r"/practice/runs/(\d+)", started.headers["Location"])
        assert match, started.status_code
        for turn, text in enumerate(GOLD, start=1):
            answer = client.post(
                f"/practice/runs/{match.group(1)}/reply", data={"text": text, "turn": turn}, headers=HX
            )
            assert answer.status_code == 200, answer.status_code

    queries: list[int] = []
    counter = {"n": 0}

    def count(*_args: object) -> None:
        counter["n"] += 1

    started = client.post("/practice/cheaper-elsewhere/start")
    run_id = re.search(r"/practice/runs/(\d+)", started.headers["Location"]).group(1)  # type: ignore[union-attr]
    event.listen(database.engine, "before_cursor_execute", count)
    for turn, text in enumerate(GOLD, start=1):
        counter["n"] = 0
        client.post(f"/practice/runs/{run_id}/reply", data={"text": text, "turn": turn}, headers=HX)
        queries.append(counter["n"])
    event.remove(database.engine, "before_cursor_execute", count)
    replies, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        one_run()
        replies += len(GOLD)
    rps = replies / (time.perf_counter() - start)
    return {
        "replies_per_s": rps,
        "ceiling_rps": ceiling,
        "ratio": rps / ceiling,
        "queries_per_reply": queries[0],
        "queries_last_reply": queries[-1],
    }


if __name__ == "__main__":
    result = bench_practice()
    print(
        f"practice chat: {result['replies_per_s']:.0f} replies/s, bare Flask {result['ceiling_rps']:.0f} req/s, "
        f"ratio {result['ratio']:.3f}, {result['queries_per_reply']:.0f} queries per reply "
        f"({result['queries_last_reply']:.0f} for the last, which ends the run and checks go-live and the tier)"
    )
