"""Accounts from the command line; passwords are read without echo and never printed.

    python -m access add-user USER --role R [--unit CODE] [--email E] [--subject S]
                     [--password-stdin | --no-password]
    python -m access set-password USER [--password-stdin]
    python -m access disable USER
    python -m access list
    python -m access audit [--limit N]

Exit codes: 0 done, 2 bad input (a message, never a traceback), 1 a file that cannot be used.
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys

from access import audit
from access.store import ROLES, AccessError, Store


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a message, as argparse does
        self.print_usage(sys.stderr)
        print(f"lỗi / error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m access", description="Tài khoản / accounts")
    p.add_argument(
        "--accounts", help="accounts file (default $DANVAN_ACCOUNTS or data/accounts.db)"
    )
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    add = sub.add_parser("add-user", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", help="commune, district or province code")
    add.add_argument("--email", help="e-mail for single sign-on (OIDC)")
    add.add_argument("--subject", help="OIDC subject (sub) for single sign-on")
    how = add.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    how.add_argument("--no-password", action="store_true", help="single sign-on only")
    sp = sub.add_parser("set-password", help="set a new password")
    sp.add_argument("username")
    sp.add_argument("--password-stdin", action="store_true")
    dis = sub.add_parser("disable", help="disable an account and end its sessions")
    dis.add_argument("username")
    sub.add_parser("list", help="list accounts")
    au = sub.add_parser("audit", help="latest audit events")
    au.add_argument("--limit", type=int, default=50)
    return p


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("Mật khẩu / password: ")
    again = getpass.getpass("Nhập lại / again: ")
    if first != again:
        raise AccessError("Hai lần nhập không khớp / the two entries differ")
    return first


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = Store(args.accounts)
    try:
        if args.cmd == "add-user":
            password = None if args.no_password else _read_password(args.password_stdin)
            user = store.add_user(
                args.username, args.role, args.unit, password, args.email, args.subject
            )
            audit.record("account", None, {"added": user.username, "role": user.role}, store)
            print(f"Đã tạo / created: {user.username} ({user.role}, {user.unit_code or '*'})")
        elif args.cmd == "set-password":
            if store.get(args.username) is None:
                raise AccessError("Không có tài khoản này / no such user")
            store.set_password(args.username, _read_password(args.password_stdin))
            audit.record("account", None, {"password_set": args.username.lower()}, store)
            print("Đã đổi mật khẩu / password set")
        elif args.cmd == "disable":
            store.disable(args.username)
            audit.record("account", None, {"disabled": args.username.lower()}, store)
            print("Đã khoá / disabled")
        elif args.cmd == "list":
            for u in store.list_users():
                state = "disabled" if u.disabled else "active"
                print(f"{u.username}\t{u.role}\t{u.unit_code or '*'}\t{u.email or ''}\t{state}")
        elif args.cmd == "audit":
            for row in audit.read(store, limit=args.limit).itertuples(index=False):
                print(f"{row.at}\t{row.event}\t{row.username or ''}\t{row.detail}")
    except AccessError as exc:
        print(f"lỗi / error: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("lỗi / error: huỷ / cancelled", file=sys.stderr)
        return 2
    except (sqlite3.Error, OSError) as exc:
        print(f"lỗi / error: {store.path}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
