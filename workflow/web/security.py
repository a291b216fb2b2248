"""What keeps the console safe: argon2 passwords, signed session cookies, CSRF tokens, throttling, headers."""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.registry.models import Utilisateur
from workflow.review.users import find
from workflow.workspace import Workspace

ENV_SECRET = "CDV_WEB_SECRET"
SECRET_FILE = ".secret_console_web"
COOKIE = "cdv_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
MIN_PASSWORD = 10
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("mot de passe factice pour un temps constant")


def hash_password(password: str) -> str:
    """Return the argon2 hash of a password, refusing one too short to be a password."""
    if len(password) < MIN_PASSWORD:
        raise CdvError(f"mot de passe trop court : {MIN_PASSWORD} caractères au moins")
    return _hasher.hash(password)


def set_password(session: Session, identifiant: str, password: str) -> Utilisateur:
    """Store the argon2 hash of a user's password (the password itself is never kept)."""
    user = find(session, identifiant)
    user.mot_de_passe = hash_password(password)
    return user


def authenticate(session: Session, identifiant: str, password: str) -> Utilisateur | None:
    """Return the active user whose password this is, else None (in about the same time either way)."""
    user = session.scalar(select(Utilisateur).where(Utilisateur.identifiant == identifiant))
    stored = user.mot_de_passe if user is not None and user.actif and user.mot_de_passe else None
    try:
        _hasher.verify(stored or _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return user if stored else None


def secret_key(workspace: Workspace) -> str:
    """Return the key that signs the cookies: CDV_WEB_SECRET, else a random one kept in registry/ (0600)."""
    if os.environ.get(ENV_SECRET):
        return os.environ[ENV_SECRET]
    path: Path = workspace.registry / SECRET_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


class Cookies:
    """Sign and read the session cookie: who is logged in, their CSRF token, when they last acted."""

    def __init__(self, secret: str, idle_seconds: int) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="cdv-console-session")
        self.idle_seconds = idle_seconds

    def dump(self, data: dict[str, Any]) -> str:
        return self._signer.dumps({**data, "t": int(time.time())})

    def load(self, value: str | None) -> dict[str, Any]:
        """Return the session, or a fresh one when the cookie is absent, forged or idle too long."""
        if value:
            try:
                data = self._signer.loads(value, max_age=self.idle_seconds)
            except BadSignature:
                data = None
            if isinstance(data, dict):
                return data
        return {CSRF_FIELD: secrets.token_urlsafe(32)}


def csrf_ok(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(str(expected).encode(), str(given).encode())


@dataclass
class Throttle:
    """Refuse logins for a while after repeated failures, per identifier and per client address (in memory)."""

    limit: int = 5
    window: float = 900.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and now - found[0] > self.window:
            found.popleft()
        return found
