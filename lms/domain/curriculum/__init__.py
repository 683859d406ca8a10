"""The loaded curriculum: the programme (days, holidays, go-live rules, tiers), the working-day calendar, the overview staff browse, and syncing `courses/` and `quizzes/` into the database."""
