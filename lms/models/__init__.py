"""The models, one module per area; importing this package registers them all."""

from lms.models.audit import AuditEvent
from lms.models.people import Cohort, Role, Store, User, UserRole, UserStore

__all__ = ["AuditEvent", "Cohort", "Role", "Store", "User", "UserRole", "UserStore"]
