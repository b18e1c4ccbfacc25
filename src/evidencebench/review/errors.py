"""The one exception the workflow modules raise for bad input.

Commands turn it into a message and an exit code, never a traceback; notebooks see a
normal exception whose text says which file, which line and what to do.
"""

from __future__ import annotations


class InputError(Exception):
    """Input that cannot be used as it is, explained in words (file and line when known)."""
