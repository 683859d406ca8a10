"""The course and lesson editing forms (the rules themselves live in lms.domain.course_editing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from lms.domain.authoring.course_editing import MAX_BODY


class CourseForm(FlaskForm):
    """A course's settings."""

    title = StringField(_l("Title (Chinese)"))
    title_en = StringField(_l("Title (English)"), description=_l("Optional: shown to English readers."))
    summary = TextAreaField(_l("Summary (Chinese)"), render_kw={"rows": 3})
    summary_en = TextAreaField(
        _l("Summary (English)"), render_kw={"rows": 3}, description=_l("Optional: shown to English readers.")
    )
    topics = StringField(
        _l("Topics"), description=_l("Lowercase words joined by hyphens, separated by commas.")
    )
    published = BooleanField(_l("Published (learners can see the course)"))
    refresher_on_major = BooleanField(_l("A major change assigns refresher training"))
    expected = HiddenField()


class BumpForm(FlaskForm):
    """A new version of the course."""

    kind = RadioField(
        _l("Kind of change"),
        choices=[
            ("minor", _l("Minor: wording, fixes")),
            ("major", _l("Major: what learners must know changed")),
        ],
        default="minor",
    )
    note = TextAreaField(
        _l("What changed"), render_kw={"rows": 2}, description=_l("Required for a major change.")
    )
    expected = HiddenField()


class NewLessonForm(FlaskForm):
    """A lesson added at the end of the course."""

    title = StringField(_l("Title of the new lesson"))
    slug = StringField(
        _l("Short name"), description=_l("Optional, like “04-returns”; made from the title when empty.")
    )


class LessonForm(FlaskForm):
    """A lesson's title, schedule and Markdown."""

    title = StringField(_l("Title (Chinese)"))
    day = IntegerField(_l("Programme day"), validators=[Optional()], description=_l("Empty: any day."))
    minutes = IntegerField(_l("Minutes"), validators=[Optional()])
    body = TextAreaField(
        _l("Lesson (Markdown)"), render_kw={"rows": 24, "maxlength": MAX_BODY, "spellcheck": "true"}
    )
    title_en = StringField(_l("Title (English)"), description=_l("Optional: shown to English readers."))
    body_en = TextAreaField(
        _l("English version (Markdown)"),
        render_kw={"rows": 12, "maxlength": MAX_BODY, "spellcheck": "true", "lang": "en"},
        description=_l(
            "Optional: the same headings, tables and chat blocks as the Chinese, with Shopper: and Agent: lines."
        ),
    )
    expected = HiddenField()
