"""The one error type of this package."""


class TrainingError(Exception):
    """A problem that stops the model from being built: bad data, a bad flag, a failed check.

    Messages say what was expected, what was found, and where; the CLI prints them as-is.
    """
