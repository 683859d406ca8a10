"""`python -m bench`: the in-process benchmarks (WSGI test client, no HTTP), printed and written to
bench/results/inprocess.json. The HTTP benchmark through gunicorn is `python -m bench.http` (`make bench`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.compliance import bench_compliance
from bench.desk import bench_desk
from bench.drills import bench_drills
from bench.grading import bench_grading
from bench.leaderboard import bench_leaderboard
from bench.pages import bench_pages
from bench.practice import bench_practice
from bench.statistics import bench_statistics


def main() -> int:
    """Run the benchmarks and print their results."""
    results = {
        "grading": bench_grading(),
        "compliance": bench_compliance(),
        "pages": bench_pages(),
        "desk": bench_desk(),
        "drills": bench_drills(),
        "statistics": bench_statistics(),
        "leaderboard": bench_leaderboard(),
        "practice": bench_practice(),
    }
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "inprocess.json").write_text(json.dumps(results, indent=2))
    g = results["grading"]
    print(
        f"grading: {g['questions']} questions, {g['per_question_us']:.1f} µs per question "
        f"({g['per_attempt_ms']:.3f} ms per attempt)"
    )
    c = results["compliance"]
    print(
        f"rule book: {c['rules']:.0f} rules, compiled once in {c['compile_ms']:.1f} ms; per 300-character reply "
        f"{c['clean_us']:.0f} µs clean, {c['dirty_us']:.0f} µs with {c['hits_in_dirty']:.0f} hits, "
        f"{c['spaced_us']:.0f} µs spaced out; key points {c['key_points_us']:.0f} µs "
        f"(machine baseline {c['python_baseline_us']:.0f} µs)"
    )
    print(f"{'page':<28}{'req/s':>10}{'bare Flask':>12}{'ratio':>8}{'queries':>9}")
    for row in results["pages"] + results["desk"] + results["drills"]:
        print(
            f"{row['page']:<28}{row['rps']:>10.0f}{row['ceiling_rps']:>12.0f}{row['ratio']:>8.2f}{row['queries']:>9}"
        )
    s = results["statistics"]
    print(
        f"statistics: {s['attempts']} graded attempts, {s['items']} items seeded in {s['seed_seconds']:.1f} s"
    )
    for row in s["pages"]:
        print(
            f"{row['page']:<28}{row['rps']:>10.1f}{row['ceiling_rps']:>12.0f}{row['ratio']:>8.4f}{row['queries']:>9}"
            f"  first {row['first_ms']:.0f} ms"
        )
    for row in results["leaderboard"]:
        print(
            f"{row['page']:<40}{row['ms_per_request']:>8.1f} ms{row['bytes']:>10} bytes{row['queries']:>5} queries"
        )
    p = results["practice"]
    print(
        f"practice chat: {p['replies_per_s']:.0f} replies/s (bare Flask {p['ceiling_rps']:.0f} req/s, "
        f"ratio {p['ratio']:.3f}), {p['queries_per_reply']:.0f} queries per reply, "
        f"{p['queries_last_reply']:.0f} for the last"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
