"""Password rules that depend on who the password is for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class RoleMinimumLengthValidator:
    """Patients need at least 13 characters; clinic staff 8, because they also need a
    one-time code (two-factor sign-in) before they see any patient data."""

    def _minimum(self, user) -> int:
        if user is not None and getattr(user, "role", "patient") != "patient":
            return settings.PASSWORD_MIN_LENGTH_STAFF
        return settings.PASSWORD_MIN_LENGTH_PATIENT

    def validate(self, password, user=None):
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min_length)d "
                    "character.",
                    "This password is too short. It must contain at least %(min_length)d "
                    "characters.",
                    minimum,
                )
                % {"min_length": minimum},
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self):
        return _(
            "Patients: at least %(patient)d characters. Clinic staff: at least %(staff)d "
            "characters, plus a one-time code from an authenticator app."
        ) % {
            "patient": settings.PASSWORD_MIN_LENGTH_PATIENT,
            "staff": settings.PASSWORD_MIN_LENGTH_STAFF,
        }


# Runs along a keyboard row (and its digits), read in either direction.
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# Shorter runs ("ab", "12") are ordinary in any password; from three characters on they are a
# pattern that guessing tools try first.
PATTERN_MIN_RUN = 3
# A common word counts only from this length ("a" and "1" are on the common list too).
COMMON_WORD_MIN_LENGTH = 4
# Longer passwords are passphrases; the word search is quadratic, so it stops there.
WORD_CHECK_MAX_LENGTH = 64


def _next_steps(a: str, b: str) -> set[str]:
    """The ways `b` follows `a` in a pattern: the same character, the next or previous one in
    Unicode order (abc, 321), or the next or previous key on a keyboard row (qwe, 098)."""
    steps = set()
    if a == b:
        steps.add("same")
    if ord(b) - ord(a) == 1:
        steps.add("up")
    if ord(b) - ord(a) == -1:
        steps.add("down")
    for row in KEYBOARD_ROWS:
        if a in row and b in row:
            if row.index(b) - row.index(a) == 1:
                steps.add("key-right")
            if row.index(b) - row.index(a) == -1:
                steps.add("key-left")
    return steps


def is_pattern(text: str) -> bool:
    """True when `text` is nothing but runs of at least PATTERN_MIN_RUN characters that repeat
    one character or step along a sequence (`aaaa`, `abcdef`, `1234567890123`, `qwerty123`), or
    one piece repeated (`abcabcabc`, `passwordpassword`)."""
    if not text:
        return False
    if len(text) >= 2 * PATTERN_MIN_RUN - 2 and _is_repetition(text):
        return True
    position = 0
    while position < len(text):
        end = _run_end(text, position)
        if end - position < PATTERN_MIN_RUN:
            return False
        position = end
    return True


def _is_repetition(text: str) -> bool:
    """One piece of at least two characters written at least twice (`abab`, `xyzxyz`)."""
    for size in range(2, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False


def _run_end(text: str, start: int) -> int:
    """The end of the longest run from `start` that keeps one kind of step."""
    best = start + 1
    if start + 1 >= len(text):
        return best
    for step in _next_steps(text[start], text[start + 1]):
        end = start + 1
        while end < len(text) and step in _next_steps(text[end - 1], text[end]):
            end += 1
        best = max(best, end)
    return best


class PatternPasswordValidator:
    """Refuses passwords that guessing tools try first, whatever their length: one character or
    piece repeated (`aaaaaaaaaaaaa`), a sequence (`abcdefghijklm`, `1234567890123`, `qwerty…`),
    or a common password with nothing but digits or such a pattern around it
    (`password1234567`, `2026iloveyou!!!`). Django's CommonPasswordValidator still checks the whole
    password against its list; this validator uses the same list for the words."""

    def __init__(self):
        from django.contrib.auth.password_validation import CommonPasswordValidator

        self.common = {
            word
            for word in CommonPasswordValidator().passwords
            if len(word) >= COMMON_WORD_MIN_LENGTH
        }
        self.longest_common = max(map(len, self.common))

    def is_predictable(self, password: str) -> bool:
        text = password.lower()
        if is_pattern(text):
            return True
        if len(text) > WORD_CHECK_MAX_LENGTH:
            return False
        # One common word, and nothing around it but digits or a pattern.
        for start in range(len(text)):
            longest = min(len(text), start + self.longest_common)
            for end in range(start + COMMON_WORD_MIN_LENGTH, longest + 1):
                if text[start:end] not in self.common:
                    continue
                around = [part for part in (text[:start], text[end:]) if part]
                if around and all(_is_filler(part) for part in around):
                    return True
        return False

    def validate(self, password, user=None):
        if self.is_predictable(password):
            raise ValidationError(self.message(), code="password_predictable")

    def message(self) -> str:
        return _(
            "This password is too easy to guess: it is made of repeated characters, a sequence "
            "such as 12345 or abcde, or a common word with such a sequence or with numbers."
        )

    def get_help_text(self):
        return _(
            "Your password can’t be only repeated characters or a sequence such as 12345 or "
            "abcde, nor a common word with numbers added."
        )


def minimum_length(user) -> int:
    """The shortest password allowed for this user (RoleMinimumLengthValidator's rule)."""
    return RoleMinimumLengthValidator()._minimum(user)


def password_rules(user) -> list[str]:
    """This user's password rules in plain words, for the page where they choose one.

    Django's help text lists every validator's text for everyone, so a patient read the staff's
    two-factor rules. These say the same rules as the validators above and in settings, for the
    user's own role only."""
    minimum = minimum_length(user)
    if user is not None and getattr(user, "role", "patient") != "patient":
        return [
            ngettext(
                "At least %(n)d character. To sign in you also need a one-time code from your "
                "authenticator app.",
                "At least %(n)d characters. To sign in you also need a one-time code from your "
                "authenticator app.",
                minimum,
            )
            % {"n": minimum},
            _(
                "Not only numbers, not a sequence such as 12345 or abcde, and not a common "
                "password, even with numbers added."
            ),
            _("Not like your name or e-mail address."),
        ]
    return [
        ngettext(
            "At least %(n)d character. Letters, numbers, symbols and spaces all count.",
            "At least %(n)d characters. Letters, numbers, symbols and spaces all count.",
            minimum,
        )
        % {"n": minimum},
        _(
            "Tip: a few words you can remember, with spaces between them, are easy to type and "
            "hard to guess."
        ),
        _(
            "Not only numbers, not a sequence such as 12345 or abcde, and not a common "
            "password, even with numbers added."
        ),
        _("Not like your name or e-mail address."),
    ]


def _is_filler(text: str) -> bool:
    """What people add to a common word to make it "longer": digits, or a pattern."""
    return bool(text) and (text.isdigit() or is_pattern(text))
