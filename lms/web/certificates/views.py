"""Certificates: the holder's list, the printable page and PDF, public verification, revocation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import public, roles_required, signed_in
from lms.config import PROJECT_ROOT
from lms.db import db_session, utcnow
from lms.domain.certification import golive
from lms.domain.certification.validity import CertStatus, validity_of
from lms.domain.errors import DomainError
from lms.models import Certificate, CertificateHistory, Role
from lms.web.certificates.checklist_markup import checklist_items
from lms.web.certificates.render import PdfUnavailable, certificate_html, certificate_pdf
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.rate_limits import limited
from lms.web.security_log import note

bp = Blueprint("certificates", __name__)
bp.add_app_template_global(checklist_items)


@bp.app_template_global()
def cert_status(cert: Certificate) -> CertStatus:
    """A certificate's status now (valid, expiring, expired, revoked) and its end, for any page;
    the programme's rules are read once per request."""
    rules = g.get("_validity")
    if rules is None:
        rules = g._validity = validity_of(db_session())
    return CertStatus(rules.status(cert, utcnow()), rules.ends(cert))


def _visible(code: str) -> Certificate:
    cert = db_session().scalars(select(Certificate).where(Certificate.code == code)).one_or_none()
    if cert is None:
        abort(404)
    user = me()
    if cert.user_id != user.id and not user.is_staff:
        note("not_owner")
        abort(404)
    return cert


@bp.get("/learn/certificates")
@signed_in
def mine() -> str:
    """The learner's certificates, and the earlier cycles of renewed ones."""
    session = db_session()
    certs = session.scalars(select(Certificate).where(Certificate.user_id == me().id)).all()
    earlier = session.scalars(
        select(CertificateHistory)
        .where(CertificateHistory.user_id == me().id)
        .order_by(CertificateHistory.renewed_at.desc())
    ).all()
    return render_template("certificates/mine.html", certs=certs, earlier=earlier)


@bp.get("/certificates/<code>")
@signed_in
def show(code: str) -> str:
    """The printable certificate (print CSS hides the site's chrome)."""
    return certificate_html(_visible(code))


@bp.get("/certificates/<code>.pdf")
@signed_in
def pdf(code: str) -> Response | tuple[str, int]:
    """The certificate as a PDF, or a page saying what the server is missing to make one."""
    cert = _visible(code)
    try:
        data = certificate_pdf(cert, str(PROJECT_ROOT / "static" / "css" / "certificate.css"))
    except PdfUnavailable as err:
        current_app.logger.warning("certificate PDF unavailable: %s", err)
        return render_template("certificates/pdf_unavailable.html", cert=cert), 503
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{cert.code}.pdf"'},
    )


def _verify_rate() -> str:
    return "30 per minute"


@bp.get("/verify/<code>")
@public
@limited(_verify_rate)
def verify(code: str) -> str:
    """Public: is this certificate genuine and valid? Name, kind, date, status — nothing else personal."""
    if len(code) > 40:
        abort(404)
    session = db_session()
    cert = session.scalars(select(Certificate).where(Certificate.code == code)).one_or_none()
    if cert is None:
        earlier = session.scalars(
            select(CertificateHistory).where(CertificateHistory.code == code)
        ).one_or_none()
        if earlier is None:
            abort(404)
        return render_template("certificates/verify_renewed.html", earlier=earlier, cert=earlier.certificate)
    return render_template("certificates/verify.html", cert=cert)


@bp.post("/admin/certificates/<int:cert_id>/revoke")
@roles_required(Role.ADMIN)
def revoke(cert_id: int) -> Response:
    """An admin revokes a certificate with a reason (audited)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    cert = session.get(Certificate, cert_id) or abort(404)
    try:
        golive.revoke(session, me(), cert, request.form.get("reason", ""), utcnow())
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        flash(
            _("The certificate is revoked; %(name)s is no longer live.", name=cert.user.display_name),
            "success",
        )
    return redirect(url_for("cohorts.learner", user_id=cert.user_id))
