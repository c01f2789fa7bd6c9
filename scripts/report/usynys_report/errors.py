# How a run fails: the exit statuses and the exception that carries one to the command line,
# whose stderr gets a single line.

EXIT_OTHER = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_DOCUMENT = 4


class Failure(Exception):
    """A run that cannot finish: `code` is the exit status, the message its stderr line."""

    def __init__(self, code, message, fingerprint=None):
        super().__init__(message)
        self.code = code
        self.fingerprint = fingerprint


def one_line(text):
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    return lines[0] if lines else "unknown error"
