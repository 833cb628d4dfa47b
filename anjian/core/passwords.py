"""Password policy beyond Django's validators."""

import string

from django.core.exceptions import ValidationError

CHARACTER_CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("特殊字符", set(string.punctuation)),
)


def character_classes_used(password: str) -> int:
    return sum(1 for _name, chars in CHARACTER_CLASSES if any(c in chars for c in password))


class CharacterClassValidator:
    """At least three of upper case, lower case, digits and symbols (common 等保 2.0 practice)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes_used(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return f"密码须至少包含大写字母、小写字母、数字、特殊字符中的 {self.min_classes} 类。"


# Runs people type without thinking: the alphabet, the digits, and the rows of a QWERTY keyboard
# (the digit row goes on to 0, so "7890" counts).
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)


def longest_run(password: str) -> int:
    """The longest stretch of the password that follows one of SEQUENCES (either way) or repeats one character."""
    text = password.lower()
    longest = min(len(text), 1)
    for sequence in SEQUENCES:
        for candidate in (sequence, sequence[::-1]):
            pairs = {candidate[i : i + 2] for i in range(len(candidate) - 1)}
            run = 1
            for i in range(1, len(text)):
                run = run + 1 if text[i - 1 : i + 1] in pairs else 1
                longest = max(longest, run)
    run = 1
    for i in range(1, len(text)):
        run = run + 1 if text[i] == text[i - 1] else 1
        longest = max(longest, run)
    return longest


class SequenceValidator:
    """No runs of `max_run` or more sequential or repeated characters (1234, abcd, qwer, 4321, aaaa)."""

    def __init__(self, max_run: int = 4):
        self.max_run = max_run

    def validate(self, password, user=None):
        if longest_run(password) >= self.max_run:
            raise ValidationError(
                f"密码不能包含 {self.max_run} 位及以上连续或重复的字符（如 1234、abcd、qwer、4321、aaaa）。",
                code="password_sequential",
            )

    def get_help_text(self):
        return f"密码不能包含 {self.max_run} 位及以上连续或重复的字符（如 1234、abcd、qwer）。"
