"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the email tests: what the site sends goes
through Django's SMTP backend, over a socket, and is read back as the server received it."""

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller

from tests.local_tools import free_port


class Mailbox:
    """What the server accepted, as parsed messages; `refuse` makes it refuse these addresses."""

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.connections = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    def clear(self):
        self.messages.clear()


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://testserver"
    try:
        yield mailbox
    finally:
        controller.stop()


def body(message):
    return message.get_content()


def link(message, kind):
    """The first link of `kind` ("confirm", "unsubscribe", "manage") in an email, as a path."""
    for word in body(message).split():
        if f"/updates/{kind}/" in word:
            return word.removeprefix("http://testserver")
    raise AssertionError(f"no {kind} link in {body(message)!r}")
