"""QC: spot checks against the checklist, the dashboard, the checklist editor."""

from lms.web.qc.views import bp

__all__ = ["bp"]
