"""Assignments: staff hand out work (one agent or many); learners see theirs and the reminders."""

from lms.web.assignments.learner_views import bp as learner_bp
from lms.web.assignments.views import bp

__all__ = ["bp", "learner_bp"]
