"""The session's check-in QR code as inline SVG, drawn on the server (no script, no image request)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int = 6) -> SafeString:
    # segno writes the SVG itself from the URL's bytes: nothing of the URL is markup
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, omitsize=True, title=url))  # noqa: S308
