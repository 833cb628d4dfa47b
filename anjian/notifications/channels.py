"""Delivery channels: e-mail through Django's mail backends, SMS through a pluggable gateway.

SMS gateway: set `ANJIAN_SMS_BACKEND` in settings (or leave the default) to the dotted path of a class derived
from `SmsBackend`. The default `LoggingSmsBackend` writes each message to the log (development, demo).
A real provider (阿里云短信、腾讯云短信、运营商网关…) implements `send(phone, text)` and raises `SmsError` on failure;
the outbox retries and, after the last attempt, shows the failure on the failed-deliveries page.
"""

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "anjian.notifications.channels.LoggingSmsBackend"


class SmsError(Exception):
    """The gateway refused or could not take the message; the text is shown to the office."""


class SmsBackend(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Send one message or raise SmsError."""


class LoggingSmsBackend(SmsBackend):
    """Development gateway: logs the message instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend(SmsBackend):
    """Test gateway: keeps messages in `MemorySmsBackend.outbox` (like Django's locmem mail backend)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def sms_backend() -> SmsBackend:
    return import_string(getattr(settings, "ANJIAN_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def send_email(address: str, subject: str, body: str) -> None:
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
    if not sent:
        raise RuntimeError("邮件服务器未接受该邮件")


def send_sms(phone: str, text: str) -> None:
    sms_backend().send(phone, text)
