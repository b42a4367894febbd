"""Keep full CPR numbers out of the application's logs (issue: "The full CPR never appears in ordinary
application logs")."""

import logging
import re

# Ten digits, with or without the hyphen, not part of a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def mask(text: str) -> str:
    return CPR_PATTERN.sub(r"\1-••••", text)


class MaskCprFilter(logging.Filter):
    """Rewrites a record's message (with its arguments filled in) so that any CPR shows as DDMMYY-••••."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
