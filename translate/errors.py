"""The one exception type a user of the tool can cause."""


class TranslateError(Exception):
    """A problem with the user's input, config, data or files.

    The command-line tool prints its message on one line and exits with status 2,
    without a stack trace. The message names the file, line, key or value at fault.
    """
