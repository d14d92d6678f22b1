"""EMAIL_URL to Django's SMTP settings: smtp://user:password@host:587 (add ?tls=1 for STARTTLS),
or smtps://… for TLS from the start."""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def smtp_settings(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured("EMAIL_URL must start with smtp:// or smtps://")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": "tls=1" in parts.query,
        "EMAIL_TIMEOUT": 10,
    }
