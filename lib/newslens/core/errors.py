"""User-facing errors: one clear line naming the culprit, shown without a traceback by the CLI."""


class NewslensError(Exception):
    """A problem with the user's input (file, row or parameter) that the user can fix."""


class CorpusError(NewslensError):
    """The corpus manifest or one of its documents cannot be used."""


class ParameterError(NewslensError):
    """A notebook or command parameter has a value that cannot be used."""
