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
