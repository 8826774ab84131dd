"""Bidirectional-text controls in names: removed when a name is typed, isolated when shown.

A name such as "Sato\u202eP-1" (RIGHT-TO-LEFT OVERRIDE) would show the text after it reversed —
the patient number, a date, a whole table row — and could make one patient look like another.
Names never need these invisible controls: a name in Arabic or Hebrew is written with its own
letters, and `<bdi>` (or, in plain text such as a page title, FIRST STRONG ISOLATE … POP
DIRECTIONAL ISOLATE) keeps its direction from spilling into what follows.
"""

from __future__ import annotations

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the left-to-right and
# right-to-left marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
_REMOVE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def without_bidi_controls(text: str) -> str:
    return text.translate(_REMOVE)


def isolated(text: str) -> str:
    """Plain text that cannot change the direction of what surrounds it."""
    return FIRST_STRONG_ISOLATE + without_bidi_controls(text) + POP_DIRECTIONAL_ISOLATE
