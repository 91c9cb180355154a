import pytest

from tests.smtp import SMTPServer


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) in the test process; yields its inbox."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server.inbox
