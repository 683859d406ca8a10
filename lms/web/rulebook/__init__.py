"""The rule book on the web: the rules by category, the tester, and the "check my wording" box."""

from lms.web.rulebook.views import bp

__all__ = ["bp"]
