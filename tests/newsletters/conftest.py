"""A real SMTP server for the newsletters' tests (aiosmtpd on loopback)."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """Keep every message received; refuse them after `fail_after` if set."""

    def __init__(self):
        self.messages = []
        self.fail_after = None

    async def handle_DATA(self, server, session, envelope):
        if self.fail_after is not None and len(self.messages) >= self.fail_after:
            return "554 Refused by the test"
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def recipients(self):
        return [message["To"] for message in self.messages]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Start an SMTP server and send the site's email to it; yield its Sink."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    yield sink
    controller.stop()


@pytest.fixture
def queued_tasks(settings):
    """Queue tasks without running them, so a test sends explicitly."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    from django.tasks import default_task_backend

    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()
