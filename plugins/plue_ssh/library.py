"""asyncssh, imported without the warnings it triggers at import (it still names DSA, which
cryptography deprecates; Plue never offers or accepts DSA keys)."""

import warnings

from cryptography.utils import CryptographyDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    import asyncssh

__all__ = ["asyncssh"]
