"""Monthly KPI: the metrics and weighted schemes, per-store and per-agent scores, bonus bands, the CSV import."""
