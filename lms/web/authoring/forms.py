"""The question upload form and its confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, RadioField
from wtforms.validators import DataRequired

#: The largest question file accepted (bytes).
MAX_UPLOAD = 1024 * 1024


class QuestionUploadForm(FlaskForm):
    """A GIFT, Aiken, Excel or Moodle XML file to check before anything is imported."""

    file = FileField(
        _l("Question file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["gift", "txt", "xlsx", "xml"], _l("Choose a .gift, .txt, .xlsx or .xml file.")),
        ],
        description=_l(
            "A .gift or .txt file saved as UTF-8 (with or without BOM), an Excel workbook (.xlsx) "
            "or a Moodle XML file, at most 1 MB."
        ),
    )
    format = RadioField(
        _l("Format"),
        choices=[
            ("gift", _l("GIFT (Moodle)")),
            ("aiken", _l("Aiken (single choice)")),
            ("xlsx", _l("Excel template (.xlsx)")),
            ("moodle-xml", _l("Moodle XML")),
        ],
        default="gift",
        validators=[DataRequired()],
    )


class ConfirmImportForm(FlaskForm):
    """The checked file, carried back signed, to import."""

    payload = HiddenField(validators=[DataRequired()])
