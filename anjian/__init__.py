"""Anjian (安监): work-safety supervision platform."""

from .celery import app as celery_app

__all__ = ["celery_app"]
