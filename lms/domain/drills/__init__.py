"""FAQ mastery drills: spaced repetition of the script library (FSRS cards per agent and entry, their
review log), the drill's grading and ratings, the typing and first-response drills, and mastery
as the go-live gate and the trainer's heatmap read it.

Sits above learning (it grades replies as reply questions do, with the rule book) and below
certification, which reads `mastery_of` for the `faq_mastery_percent` requirement.
"""
