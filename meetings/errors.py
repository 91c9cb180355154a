"""How a refusal reads on a page: the messages of a ValidationError, as one sentence or more."""

from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """ERROR's messages joined by spaces, for messages.error() and the like."""
    return " ".join(error.messages)
