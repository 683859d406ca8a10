"""The web layer: blueprints per area, plus what every response shares."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that only matches ids a database column can hold (others are a plain 404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_web(app: Flask) -> None:
    """Bind extensions, hooks, error pages and every blueprint to the app."""
    app.url_map.converters["int"] = BoundedIntConverter
    from lms.web.json_bodies import AcademyJSONProvider

    app.json = AcademyJSONProvider(app)
    from lms.access import enforce_access
    from lms.extensions import csrf, limiter
    from lms.web import (
        errors,
        i18n,
        identity,
        layout_fragments,
        links,
        navigation,
        page_shell,
        pagination,
        rate_limits,
        security_headers,
        security_log,
    )
    from lms.web.account.views import bp as account_bp
    from lms.web.admin import security_views as _security_views  # noqa: F401 - adds its routes to admin_bp
    from lms.web.admin import xapi_views as _xapi_views  # noqa: F401 - adds its routes to admin_bp
    from lms.web.admin.views import bp as admin_bp
    from lms.web.agent_picker import bp as agent_picker_bp
    from lms.web.api import drills as _api_drills  # noqa: F401 - adds its routes to api_bp
    from lms.web.api import openapi as _api_openapi  # noqa: F401 - adds its routes to api_bp
    from lms.web.api import practice as _api_practice  # noqa: F401 - adds its routes to api_bp
    from lms.web.api import quizzes as _api_quizzes  # noqa: F401 - adds its routes to api_bp
    from lms.web.api.views import bp as api_bp
    from lms.web.assignments import bp as assignments_bp
    from lms.web.assignments import learner_bp as my_assignments_bp
    from lms.web.assignments.context import init_app as init_assignment_context
    from lms.web.auth import reset_views as _reset_views  # noqa: F401 - adds its routes to auth_bp
    from lms.web.auth.views import bp as auth_bp
    from lms.web.authoring import bp as authoring_bp
    from lms.web.certificates.views import bp as certificates_bp
    from lms.web.cohorts.views import bp as cohorts_bp
    from lms.web.curriculum.views import bp as curriculum_bp
    from lms.web.drills.staff import bp as drill_staff_bp
    from lms.web.drills.views import bp as drills_bp
    from lms.web.editing import bp as editing_bp
    from lms.web.grading.views import bp as grading_bp
    from lms.web.health import bp as health_bp
    from lms.web.home.views import bp as home_bp
    from lms.web.kpi import scheme_views as _scheme_views  # noqa: F401 - adds its routes to kpi_bp
    from lms.web.kpi import tiers_views as _tiers_views  # noqa: F401 - adds its routes to kpi_bp
    from lms.web.kpi.views import bp as kpi_bp
    from lms.web.learn.quiz_views import bp as quiz_bp
    from lms.web.learn.views import bp as learn_bp
    from lms.web.practice import bp as practice_bp
    from lms.web.qc import bp as qc_bp
    from lms.web.qc.checklist_views import bp as qc_checklist_bp
    from lms.web.quiz_editing import bp as quiz_editing_bp
    from lms.web.rulebook import bp as rulebook_bp
    from lms.web.statistics.views import bp as statistics_bp

    csrf.init_app(app)
    limiter.init_app(app)
    identity.init_app(app)
    i18n.init_app(app)
    app.before_request(enforce_access)
    rate_limits.init_app(app)  # after access control, as the view's own check was
    security_headers.init_app(app)
    errors.init_app(app)
    security_log.init_app(app)
    pagination.init_app(app)
    navigation.init_app(app)
    layout_fragments.init_app(app)
    page_shell.init_app(app)
    links.init_app(app)

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(agent_picker_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(learn_bp, url_prefix="/learn")
    app.register_blueprint(quiz_bp, url_prefix="/learn")
    app.register_blueprint(curriculum_bp, url_prefix="/author/curriculum")
    app.register_blueprint(grading_bp, url_prefix="/author/grading")
    app.register_blueprint(statistics_bp, url_prefix="/author/statistics")
    app.register_blueprint(cohorts_bp, url_prefix="/author/cohorts")
    app.register_blueprint(editing_bp, url_prefix="/author/edit")
    app.register_blueprint(quiz_editing_bp, url_prefix="/author/quizzes")
    app.register_blueprint(authoring_bp, url_prefix="/author")
    app.register_blueprint(certificates_bp)
    app.register_blueprint(kpi_bp)
    app.register_blueprint(qc_bp, url_prefix="/qc")
    app.register_blueprint(qc_checklist_bp, url_prefix="/qc")
    app.register_blueprint(rulebook_bp, url_prefix="/rulebook")
    app.register_blueprint(practice_bp, url_prefix="/practice")
    app.register_blueprint(assignments_bp, url_prefix="/assignments")
    app.register_blueprint(my_assignments_bp, url_prefix="/learn")
    app.register_blueprint(drills_bp, url_prefix="/learn/drill")
    app.register_blueprint(drill_staff_bp, url_prefix="/author/drills")
    init_assignment_context(app)
