"""Secrets of the embedded default, kept in files under ``var/`` beside the database.

Production passes them in the environment instead; see ``.env.example``.
"""

import base64
import secrets
from pathlib import Path


def read_or_create_secret(path: Path, *, fernet: bool = False) -> str:
    """Return the secret stored at ``path``, creating it (owner-readable only) on first use."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    raw = secrets.token_bytes(32)
    value = base64.urlsafe_b64encode(raw).decode("ascii") if fernet else secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(value, encoding="ascii")
    return value
