"""A certificate as HTML (print CSS) and as a PDF rendered by WeasyPrint from the same HTML."""

from __future__ import annotations

from flask import render_template, url_for

from lms.models import Certificate


def verification_url(cert: Certificate) -> str:
    """The public address that confirms the certificate."""
    return url_for("certificates.verify", code=cert.code, _external=True)


def qr_data_uri(url: str) -> str:
    """A QR code of the URL as an SVG data URI (allowed by the CSP's img-src data:)."""
    import segno  # QR codes: only certificate pages need them (keeps the workers small)

    return str(segno.make(url, error="m").svg_data_uri(scale=5, border=2))


def qr_png_data_uri(url: str) -> str:
    """The same QR code as a PNG for the PDF: one image, about 300 dpi at its printed 34 mm."""
    import segno

    return str(segno.make(url, error="m").png_data_uri(scale=12, border=2))


def certificate_html(cert: Certificate, *, for_pdf: bool = False) -> str:
    """The certificate page."""
    url = verification_url(cert)
    if for_pdf:
        return render_template(
            "certificates/certificate_pdf.html", cert=cert, verify_url=url, qr=qr_png_data_uri(url)
        )
    return render_template("certificates/certificate.html", cert=cert, verify_url=url, qr=qr_data_uri(url))


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def certificate_pdf(cert: Certificate, stylesheet_path: str) -> bytes:
    """The certificate as PDF bytes."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as err:  # OSError: Pango missing
        raise PdfUnavailable(str(err)) from None
    html = certificate_html(cert, for_pdf=True)
    return bytes(
        HTML(string=html, base_url=url_for("home.index", _external=True)).write_pdf(
            stylesheets=[CSS(filename=stylesheet_path)]
        )
    )
