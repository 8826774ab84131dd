"""How every file the app hands out is sent: as an attachment that no cache keeps."""

from django.http import HttpResponse


def as_download(response: HttpResponse, filename: str) -> HttpResponse:
    """Mark a response as a private download. Callers pass an opaque file name: no patient
    name in a header or in a download folder listing."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
