"""The models, one module per area; importing this package registers them all."""

from lms.models.assignments import Assignment, AutoClaim, Notification
from lms.models.audit import AuditEvent
from lms.models.certification import Certificate, CertificateHistory, GoLiveSignoff
from lms.models.change_counts import ChangeCount
from lms.models.content import (
    Course,
    CourseImage,
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
from lms.models.drills import DrillCard, DrillReview, FirstResponseRun, FocusDrill, TypingRun
from lms.models.kpi import KpiRecord, KpiScheme, TierAward
from lms.models.learning import ApiToken, Attempt, AttemptItem, LessonCompletion
from lms.models.people import Cohort, Role, Store, User, UserRole, UserStore
from lms.models.practice import PracticeRun, PracticeTurn, Scenario, ScenarioVersion
from lms.models.qc import ChecklistItem, SpotCheck, SpotCheckResult
from lms.models.security import SecurityEvent
from lms.models.statistics import QuizGradings, StatisticsBlock
from lms.models.xapi import XapiStatement

__all__ = [
    "ChangeCount",
    "DrillCard",
    "QuizGradings",
    "StatisticsBlock",
    "DrillReview",
    "FirstResponseRun",
    "FocusDrill",
    "TypingRun",
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
    "CourseImage",
    "CourseRevision",
    "FaqEntry",
    "Lesson",
    "PracticeRun",
    "PracticeTurn",
    "Product",
    "Programme",
    "Question",
    "QuestionVersion",
    "Quiz",
    "Role",
    "RuleBookVersion",
    "Scenario",
    "ScenarioVersion",
    "SecurityEvent",
    "XapiStatement",
    "Store",
    "TierAward",
    "User",
    "UserRole",
    "UserStore",
]
