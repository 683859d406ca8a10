"""The models, one module per area; importing this package registers them all."""

from lms.models.assignments import Assignment, AutoClaim, Notification
from lms.models.audit import AuditEvent
from lms.models.certification import Certificate, CertificateHistory, GoLiveSignoff
from lms.models.content import (
    Course,
    CourseRevision,
    FaqEntry,
    Lesson,
    Product,
    Programme,
    Question,
    QuestionVersion,
    Quiz,
    RuleBookVersion,
)
from lms.models.kpi import KpiRecord, KpiScheme, TierAward
from lms.models.learning import ApiToken, Attempt, AttemptItem, LessonCompletion
from lms.models.people import Cohort, Role, Store, User, UserRole, UserStore
from lms.models.qc import ChecklistItem, SpotCheck, SpotCheckResult
from lms.models.security import SecurityEvent

__all__ = [
    "Assignment",
    "AutoClaim",
    "CertificateHistory",
    "ChecklistItem",
    "Notification",
    "SpotCheck",
    "SpotCheckResult",
    "KpiRecord",
    "KpiScheme",
    "Certificate",
    "GoLiveSignoff",
    "ApiToken",
    "Attempt",
    "AttemptItem",
    "LessonCompletion",
    "AuditEvent",
    "Cohort",
    "Course",
    "CourseRevision",
    "FaqEntry",
    "Lesson",
    "Product",
    "Programme",
    "Question",
    "QuestionVersion",
    "Quiz",
    "Role",
    "RuleBookVersion",
    "SecurityEvent",
    "Store",
    "TierAward",
    "User",
    "UserRole",
    "UserStore",
]
