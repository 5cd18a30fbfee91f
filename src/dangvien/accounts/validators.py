"""The password policy, with its messages in Vietnamese: Django's validators plus a Vietnamese
list of common passwords and no reuse of the last few passwords (AUTH_PASSWORD_VALIDATORS)."""

import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from django.contrib.auth import password_validation as django_validators
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

VIETNAMESE_LIST = Path(__file__).resolve().parent / "common-passwords-vi.txt"
# What surrounds a common word in a weak password: digits, punctuation, a year ("matkhau@123").
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _plain(text: str) -> str:
    """Lower case, without diacritics or spaces ("Mật khẩu" → "matkhau")."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"\s+", "", text.lower())


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu có ít nhất {self.min_length} ký tự."


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return "Mật khẩu không được chỉ gồm chữ số."

    def get_help_text(self):
        return "Mật khẩu không chỉ gồm chữ số."


class SimilarToAccountValidator(django_validators.UserAttributeSimilarityValidator):
    """Django's similarity check, on forms without diacritics or spaces: "nguyenthuhang7" is
    refused for Nguyễn Thu Hằng."""

    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes, max_similarity)

    def validate(self, password, user=None):
        if user is None:
            return
        plain_password = _plain(password)
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if not value or not isinstance(value, str):
                continue
            words = [_plain(word) for word in re.split(r"\W+", value)]
            for part in {*words, _plain(value)}:
                if len(part) < 3 or django_validators.exceeds_maximum_length_ratio(
                    plain_password, self.max_similarity, part
                ):
                    continue
                similar = SequenceMatcher(a=plain_password, b=part).quick_ratio()
                if similar >= self.max_similarity:
                    raise ValidationError(
                        "Mật khẩu quá giống tên đăng nhập hoặc họ tên.",
                        code="password_too_similar",
                    )

    def get_help_text(self):
        return "Mật khẩu không giống tên đăng nhập hay họ tên."


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    """Django's 20,000 common passwords and a Vietnamese list; a Vietnamese entry is refused
    also with digits or symbols around it ("dangvien2026", "@matkhau123")."""

    def __init__(self, password_list_path=None):
        super().__init__()
        with VIETNAMESE_LIST.open(encoding="utf-8") as lines:
            self.vietnamese = {
                _plain(line) for line in lines if line.strip() and not line.startswith("#")
            }

    def validate(self, password, user=None):
        plain = _plain(password)
        stem = _DECORATION.sub("", plain)
        if (
            password.lower().strip() in self.passwords
            or plain in self.vietnamese
            or (len(stem) >= 3 and stem in self.vietnamese)
        ):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return "Mật khẩu quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."

    def get_help_text(self):
        return "Mật khẩu không phải là mật khẩu phổ biến (kể cả kiểu «matkhau123», «hanoi2026»)."


class PasswordHistoryValidator:
    """No reuse of the last `keep` passwords; each new password is kept, hashed, when set."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def _recent(self, user):
        from dangvien.accounts.models import PasswordHistory

        return PasswordHistory.objects.filter(user=user).order_by("-set_at", "-id")[: self.keep]

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, entry.password) for entry in self._recent(user)):
            raise ValidationError(
                f"Không được dùng lại một trong {self.keep} mật khẩu gần nhất.",
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        """Called by Django after a new password is saved: keep its hash, forget older ones."""
        from dangvien.accounts.models import PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep_ids = list(self._recent(user).values_list("id", flat=True))
        PasswordHistory.objects.filter(user=user).exclude(id__in=keep_ids).delete()

    def get_help_text(self):
        return f"Mật khẩu khác {self.keep} mật khẩu gần nhất của bạn."
