"""Local accounts, login lockout and sessions, in a small SQLite file beside the warehouse.

The warehouse file is replaced by every import, so accounts never live in it. Passwords are
kept as argon2id hashes only. Every function takes `now` so tests inject the time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from access import config

LANH_DAO, DON_VI, CAN_BO_DU_LIEU, QUAN_TRI = "lanh_dao", "don_vi", "can_bo_du_lieu", "quan_tri"
ROLES = (LANH_DAO, DON_VI, CAN_BO_DU_LIEU, QUAN_TRI)
ROLE_NAMES = {
    LANH_DAO: ("Lãnh đạo", "Leader"),
    DON_VI: ("Đơn vị (xã)", "Commune unit"),
    CAN_BO_DU_LIEU: ("Cán bộ dữ liệu", "Data officer"),
    QUAN_TRI: ("Quản trị", "Administrator"),
}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
UNIT_RE = re.compile(r"^[A-Za-z0-9_-]{1,10}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY,
    password_hash TEXT,
    role TEXT NOT NULL,
    unit_code TEXT,
    email TEXT,
    subject TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS accounts_email ON accounts (lower(email));
CREATE UNIQUE INDEX IF NOT EXISTS accounts_subject ON accounts (subject);
CREATE TABLE IF NOT EXISTS login_failures (username TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_user ON login_failures (username, at);
CREATE TABLE IF NOT EXISTS lockouts (username TEXT PRIMARY KEY, until TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    username TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
"""

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccessError(ValueError):
    """Bad input to an account operation; the message is safe to show."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    unit_code: str | None
    email: str | None = None
    disabled: bool = False
    anonymous: bool = False  # no accounts configured: full access on 127.0.0.1 only

    def can(self, action: str) -> bool:
        """`view`, `download`, `import` (the data page), `admin` (accounts, audit log)."""
        if self.anonymous:
            return True
        if action in ("view", "download"):
            return True
        if action == "import":
            return self.role in (CAN_BO_DU_LIEU, QUAN_TRI)
        if action == "admin":
            return self.role == QUAN_TRI
        return False


ANONYMOUS = User("", QUAN_TRI, None, anonymous=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < config.MIN_PASSWORD_CHARS:
        raise AccessError(
            f"Mật khẩu phải có ít nhất {config.MIN_PASSWORD_CHARS} ký tự / "
            f"the password needs at least {config.MIN_PASSWORD_CHARS} characters"
        )
    if len(password) > config.MAX_PASSWORD_CHARS:
        raise AccessError("Mật khẩu quá dài / the password is too long")


def normalise_username(name: str) -> str:
    name = (name or "").strip().lower()
    if not USERNAME_RE.match(name):
        raise AccessError(
            "Tên đăng nhập chỉ gồm chữ thường không dấu, số, '.', '_', '-' (2–64 ký tự) / "
            "a user name is 2–64 characters: a-z, 0-9, '.', '_', '-'"
        )
    return name


class Store:
    """The accounts file. Opens a short-lived connection per operation (thread-safe)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else config.accounts_path()

    def exists(self) -> bool:
        return self.path.exists()

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            if new:
                with contextlib.suppress(OSError):
                    os.chmod(self.path, 0o600)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
            yield conn
        finally:
            conn.close()

    # ------------------------------------------------------------------ accounts

    def has_accounts(self) -> bool:
        """Whether any enabled account exists (then the dashboard asks to log in)."""
        if not self.exists():
            return False
        with self.connect() as conn:
            return (
                conn.execute("SELECT count(*) FROM accounts WHERE disabled = 0").fetchone()[0] > 0
            )

    def add_user(
        self,
        username: str,
        role: str,
        unit_code: str | None,
        password: str | None = None,
        email: str | None = None,
        subject: str | None = None,
        now: datetime | None = None,
    ) -> User:
        username = normalise_username(username)
        if role not in ROLES:
            raise AccessError(f"Vai trò không hợp lệ / unknown role; use one of {', '.join(ROLES)}")
        if role != QUAN_TRI and not unit_code:
            raise AccessError("Cần mã đơn vị (--unit) / this role needs a unit code (--unit)")
        if unit_code is not None and not UNIT_RE.match(unit_code):
            raise AccessError("Mã đơn vị không hợp lệ / invalid unit code")
        if password is None and not (email or subject):
            raise AccessError(
                "Cần mật khẩu hoặc email đăng nhập một lần / "
                "give a password, or an e-mail or subject for single sign-on"
            )
        pw_hash = hash_password(password) if password is not None else None
        stamp = _iso(now or utcnow())
        try:
            with self.connect() as conn:
                conn.execute(
                    "INSERT INTO accounts (username, password_hash, role, unit_code, email, "
                    "subject, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                    (username, pw_hash, role, unit_code, email, subject, stamp, stamp),
                )
        except sqlite3.IntegrityError:
            raise AccessError(
                "Tài khoản, email hoặc subject đã có / the user, e-mail or subject exists"
            ) from None
        return User(username, role, unit_code, email)

    def get(self, username: str) -> User | None:
        if not self.exists():
            return None
        with self.connect() as conn:
            row = conn.execute(
                "SELECT username, role, unit_code, email, disabled FROM accounts "
                "WHERE username = ?",
                ((username or "").strip().lower(),),
            ).fetchone()
        return User(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def by_identity(self, email: str | None, subject: str | None) -> User | None:
        """The enabled account a single sign-on identity maps to (subject first, then e-mail)."""
        with self.connect() as conn:
            row = None
            if subject:
                row = conn.execute(
                    "SELECT username FROM accounts WHERE subject = ? AND disabled = 0", (subject,)
                ).fetchone()
            if row is None and email:
                row = conn.execute(
                    "SELECT username FROM accounts WHERE lower(email) = lower(?) AND disabled = 0",
                    (email,),
                ).fetchone()
        return self.get(row[0]) if row else None

    def list_users(self) -> list[User]:
        if not self.exists():
            return []
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT username, role, unit_code, email, disabled FROM accounts ORDER BY username"
            ).fetchall()
        return [User(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def set_password(self, username: str, password: str, now: datetime | None = None) -> None:
        pw_hash = hash_password(password)
        with self.connect() as conn:
            cur = conn.execute(
                "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE username = ?",
                (pw_hash, _iso(now or utcnow()), username.strip().lower()),
            )
            if not cur.rowcount:
                raise AccessError("Không có tài khoản này / no such user")
            conn.execute("DELETE FROM lockouts WHERE username = ?", (username.strip().lower(),))

    def disable(self, username: str, now: datetime | None = None) -> None:
        name = username.strip().lower()
        with self.connect() as conn:
            cur = conn.execute(
                "UPDATE accounts SET disabled = 1, updated_at = ? WHERE username = ?",
                (_iso(now or utcnow()), name),
            )
            if not cur.rowcount:
                raise AccessError("Không có tài khoản này / no such user")
            conn.execute("DELETE FROM sessions WHERE username = ?", (name,))

    # ------------------------------------------------------------------ login

    def locked_until(self, username: str, now: datetime | None = None) -> datetime | None:
        now = now or utcnow()
        with self.connect() as conn:
            row = conn.execute(
                "SELECT until FROM lockouts WHERE username = ?", (username.strip().lower(),)
            ).fetchone()
        if row is None:
            return None
        until = datetime.fromisoformat(row[0])
        return until if until > now else None

    def authenticate(
        self, username: str, password: str, now: datetime | None = None
    ) -> tuple[User | None, str]:
        """(user, "ok") or (None, reason): "bad" (wrong name or password: the two are not
        told apart), "locked" (too many failures), "disabled". Failures and lockouts are
        counted per name, known or not, and written to the audit log."""
        from access import audit

        now = now or utcnow()
        name = (username or "").strip().lower()[:64]
        if self.locked_until(name, now):
            audit.record("login_locked", name, {}, store=self, now=now)
            return None, "locked"
        with self.connect() as conn:
            row = conn.execute(
                "SELECT password_hash, disabled FROM accounts WHERE username = ?", (name,)
            ).fetchone()
        ok = verify_password(row[0] if row else None, password or "")
        if ok and row and row[1]:
            audit.record("login_disabled", name, {}, store=self, now=now)
            return None, "disabled"
        if ok and row:
            with self.connect() as conn:
                conn.execute("DELETE FROM login_failures WHERE username = ?", (name,))
            audit.record("login", name, {"method": "password"}, store=self, now=now)
            return self.get(name), "ok"
        since = _iso(now - config.FAILURE_WINDOW)
        with self.connect() as conn:
            conn.execute("INSERT INTO login_failures VALUES (?, ?)", (name, _iso(now)))
            conn.execute("DELETE FROM login_failures WHERE at < ?", (since,))
            n = conn.execute(
                "SELECT count(*) FROM login_failures WHERE username = ? AND at >= ?",
                (name, since),
            ).fetchone()[0]
            locked = n >= config.MAX_FAILURES
            if locked:
                conn.execute(
                    "INSERT OR REPLACE INTO lockouts VALUES (?, ?)",
                    (name, _iso(now + config.LOCKOUT)),
                )
                conn.execute("DELETE FROM login_failures WHERE username = ?", (name,))
        audit.record("login_failed", name, {"failures": n}, store=self, now=now)
        if locked:
            audit.record("lockout", name, {"minutes": config.LOCKOUT.seconds // 60}, self, now)
        return None, "locked" if locked else "bad"

    # ------------------------------------------------------------------ sessions

    def open_session(self, username: str, now: datetime | None = None) -> str:
        """A new session token for the user (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        stamp = _iso(now or utcnow())
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                (_token_hash(token), username, stamp, stamp),
            )
        return token

    def session_user(self, token: str | None, now: datetime | None = None) -> User | None:
        """The user of a live session, touching it; None when unknown, expired (idle or too
        old) or the account is disabled. An expired session is removed."""
        if not token or not self.exists():
            return None
        now = now or utcnow()
        key = _token_hash(token)
        with self.connect() as conn:
            row = conn.execute(
                "SELECT username, created_at, last_seen FROM sessions WHERE token_hash = ?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            created, seen = datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2])
            if now - seen > config.SESSION_IDLE or now - created > config.SESSION_MAX:
                conn.execute("DELETE FROM sessions WHERE token_hash = ?", (key,))
                expired = True
            else:
                conn.execute(
                    "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (_iso(now), key)
                )
                expired = False
        if expired:
            from access import audit

            audit.record("session_expired", row[0], {}, store=self, now=now)
            return None
        user = self.get(row[0])
        return user if user and not user.disabled else None

    def close_session(self, token: str | None) -> None:
        if token and self.exists():
            with self.connect() as conn:
                conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
