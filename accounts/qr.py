"""QR codes as SVG, the way the authenticator set-up draws them (accounts/mfa.py): vector, so
they stay sharp on screen and on paper, and served as a data: image (the CSP allows `img-src
data:`), so no URL has to carry what the code holds."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.constants
import qrcode.image.svg

# Medium error correction (15 %): a creased or slightly smudged printed sheet still scans.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M


def qr_svg(text: str) -> bytes:
    """The QR code of `text` as an SVG document (black modules, a 4-module quiet zone)."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECTION, image_factory=qrcode.image.svg.SvgPathImage
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def qr_data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text)).decode("ascii")
