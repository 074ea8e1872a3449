"""The one error type of this package."""


class PackError(Exception):
    """A reason not to write the bundle: bad input, an unconvertible model, a failed check.

    Messages say what was expected, what was found, and where; the command prints them as-is
    and exits non-zero without writing anything.
    """
