"""Reading sent e-mails and their calendar parts in tests."""

from email import message_from_bytes, message_from_string, policy

from icalendar import Calendar


def parsed(message):
    """A standard-library message from a Django EmailMessage or raw bytes."""
    if isinstance(message, bytes):
        return message_from_bytes(message, policy=policy.default)
    if hasattr(message, "message"):
        return message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return message_from_string(str(message), policy=policy.default)


def calendar_part(message):
    """(method parameter of the text/calendar part, parsed Calendar)."""
    for part in parsed(message).walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))
    return None, None


def text_body(message) -> str:
    return parsed(message).get_body(("plain",)).get_content()


def html_body(message) -> str:
    return parsed(message).get_body(("html",)).get_content()
