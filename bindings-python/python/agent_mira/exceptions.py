"""The exceptions of agent-mira.

Every error the package raises derives from :class:`MiraError` and also from
the built-in exception a Python programmer would expect, so both
``except agent_mira.MiraError`` and ``except ValueError`` work:

=========================  ==============================  ===========================
class                      also derives from               raised when
=========================  ==============================  ===========================
InvalidFieldError          ValueError                      a value is out of range or of
                                                           the wrong JSON type (NaN,
                                                           price -5, bedrooms "three")
MissingFieldError          ValueError                      a required field (``id``,
                                                           ``price``) is absent
UnknownFieldError          ValueError                      a key the schema does not know
                                                           (``.suggestion`` holds the
                                                           "did you mean")
DuplicateIdError           ValueError                      two listings share an id
ParseError                 ValueError                      a file is not valid JSON / CSV
CorruptFileError           ValueError                      a snapshot / model file is
                                                           damaged (checksum, truncation)
UnsupportedVersionError    ValueError                      a file from a newer version
ModelMismatchError         ValueError                      a model does not fit its input
                                                           (feature count / names)
UnsupportedError           ValueError                      an estimator, objective or
                                                           option this library refuses
                                                           by name
MiraIOError                OSError                         reading or writing a file
MiraFileNotFoundError      MiraIOError, FileNotFoundError  the file does not exist
MiraPermissionError        MiraIOError, PermissionError    no permission
NotFoundError              KeyError                        a lookup by id found nothing
MiraTypeError              TypeError                       a Python value of the wrong
                                                           type (a set, a str for a list
                                                           of records)
InternalError              RuntimeError                    a bug in agent-mira (a Rust
                                                           panic, caught at the boundary)
=========================  ==============================  ===========================

``MissingFieldError`` is deliberately *not* a ``KeyError``: a record lacking
``price`` is bad input (like any other bad value), and ``except KeyError``
around a dict lookup should not swallow validation errors. ``KeyError`` is
kept for lookups (``catalog[id]``).

Each exception has ``.code``, a stable string (``"MIRA_INVALID_FIELD"``, …,
the same codes the Node package uses), and the fields of the core's error as
attributes where they apply: ``record``, ``field``, ``value``, ``expected``,
``suggestion``, ``allowed``, ``id``, ``first``, ``source``, ``line``,
``column``, ``path``, ``kind``, ``reason``, ``what``, ``name``, ``hint``;
``MiraIOError`` sets ``errno``, ``strerror`` and ``filename``. ``str(err)``
is the core's message, which names the record, the field, the value and
what was expected.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "CorruptFileError",
    "DuplicateIdError",
    "InternalError",
    "InvalidFieldError",
    "MiraError",
    "MiraFileNotFoundError",
    "MiraIOError",
    "MiraPermissionError",
    "MiraTypeError",
    "MissingFieldError",
    "ModelMismatchError",
    "NotFoundError",
    "ParseError",
    "UnknownFieldError",
    "UnsupportedError",
    "UnsupportedVersionError",
]


class MiraError(Exception):
    """Base class of every agent-mira error; ``.code`` is a stable string.

    Catch it to handle any agent-mira error, or catch the specific class::

        >>> import agent_mira as mira
        >>> try:
        ...     engine.recommend({"budjet": 500_000})
        ... except mira.UnknownFieldError as err:
        ...     print(err.code, err.field, err.suggestion)
        MIRA_UNKNOWN_FIELD budjet budget
    """

    code: ClassVar[str] = "MIRA_ERROR"

    def __str__(self) -> str:
        # KeyError and OSError would decorate the message; show it as is.
        if len(self.args) == 1 and isinstance(self.args[0], str):
            return self.args[0]
        return super().__str__()


class InvalidFieldError(MiraError, ValueError):
    """A field's value is out of range or of the wrong type."""

    code = "MIRA_INVALID_FIELD"


class MissingFieldError(MiraError, ValueError):
    """A required field is absent."""

    code = "MIRA_MISSING_FIELD"


class UnknownFieldError(MiraError, ValueError):
    """A key the schema does not know; ``.suggestion`` is the closest one."""

    code = "MIRA_UNKNOWN_FIELD"


class DuplicateIdError(MiraError, ValueError):
    """Two listings share an id; ``.first`` says where it was seen first."""

    code = "MIRA_DUPLICATE_ID"


class ParseError(MiraError, ValueError):
    """Input that could not be parsed (``.source``, ``.line``, ``.column``)."""

    code = "MIRA_PARSE"


class CorruptFileError(MiraError, ValueError):
    """A damaged snapshot or model file."""

    code = "MIRA_CORRUPT"


class UnsupportedVersionError(MiraError, ValueError):
    """A file written by a newer version of agent-mira."""

    code = "MIRA_UNSUPPORTED_VERSION"


class ModelMismatchError(MiraError, ValueError):
    """A price model that does not fit the features it is given."""

    code = "MIRA_MODEL_MISMATCH"


class UnsupportedError(MiraError, ValueError):
    """Something refused by name: an estimator, objective, preset, …"""

    code = "MIRA_UNSUPPORTED"


class MiraIOError(MiraError, OSError):
    """Reading or writing a file failed."""

    code = "MIRA_IO"


class MiraFileNotFoundError(MiraIOError, FileNotFoundError):
    """The file or directory does not exist."""


class MiraPermissionError(MiraIOError, PermissionError):
    """No permission to read or write the file."""


class NotFoundError(MiraError, KeyError):
    """A lookup by id found nothing."""

    code = "MIRA_NOT_FOUND"


class MiraTypeError(MiraError, TypeError):
    """A Python value of the wrong type."""

    code = "MIRA_TYPE"


class InternalError(MiraError, RuntimeError):
    """A bug in agent-mira, caught at the boundary (please report it)."""

    code = "MIRA_INTERNAL"
