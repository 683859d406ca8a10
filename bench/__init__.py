"""Benchmarks: grading speed and page throughput as ratios against a bare-Flask ceiling."""
