"""Trainers edit quizzes: settings, a question bank, an editor for every question type, "try it"."""

from lms.web.quiz_editing.views import bp

__all__ = ["bp"]
