"""Practice chats on the web: the learner's list, chat window and history; the trainers' views and authoring."""

from lms.web.practice import manage_views as _manage_views  # noqa: F401 - adds its routes to bp
from lms.web.practice.views import bp

__all__ = ["bp"]
