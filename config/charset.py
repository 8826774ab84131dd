"""Requests the app reads are UTF-8; a body in another charset answers 400, in one place.

Every page is UTF-8, and so is every form it sends. Django refuses a form body in another
charset (`application/x-www-form-urlencoded; charset=ISO-2022-JP`) with BadRequest when the body
is first read, then reads it again while rendering its 400 page (the error view's CSRF check),
so the visitor got a 500. A charset that is no text encoding at all (`rot13`, `base64`) even
breaks building the request when there is a query string, before any middleware runs.

- `Utf8Request` (config/wsgi.py serves with it) adopts a declared charset only if it is a text
  encoding, so a request can always be built.
- `Utf8OnlyMiddleware` answers a request whose Content-Type declares any charset other than
  UTF-8 with a 400 page in the visitor's language, before anything reads the body.
"""

from __future__ import annotations

import codecs

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.shortcuts import render
from django.utils.http import parse_header_parameters

ACCEPTED_CHARSET = "utf-8"  # the one Django accepts for a form body, spelt as it compares it


def is_text_encoding(name: str) -> bool:
    try:
        return codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False


class Utf8Request(WSGIRequest):
    def _set_content_type_params(self, meta):
        # Django's own version, except that a codec that is no text encoding is not adopted
        # (Django would decode the query string with it at once and raise LookupError).
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )
        charset = self.content_params.get("charset")
        if charset is not None and is_text_encoding(charset):
            self.encoding = charset


class Utf8WSGIHandler(WSGIHandler):
    request_class = Utf8Request


class Utf8OnlyMiddleware:
    """400, not 500, for a request whose Content-Type declares a charset other than UTF-8."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset is not None and charset.strip().lower() != ACCEPTED_CHARSET:
            return render(request, "bad_request_charset.html", status=400)
        return self.get_response(request)
