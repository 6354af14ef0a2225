"""A small OpenID Connect provider for the tests, on 127.0.0.1 and a free port.

It serves discovery, JWKS, authorize, token and userinfo for one confidential client, signs
RS256 id_tokens with a key made at start, and requires PKCE (S256) on the authorization code
flow. `authorize` approves at once as the identity given to the provider (there is no login
page): the tests decide who logs in. Not for anything but tests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class Identity:
    sub: str
    email: str
    name: str = ""
    email_verified: bool = True


@dataclass
class Provider:
    client_id: str = "danvan-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    identity: Identity = field(default_factory=lambda: Identity("sub-1", "lanhdao@example.org"))
    redirect_uris: tuple[str, ...] = ()  # empty: any http://127.0.0.1 or localhost callback
    host: str = "127.0.0.1"
    port: int = 0

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8)})
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, Identity] = {}
        self.lock = threading.Lock()
        self.seen: list[str] = []  # the paths asked for, in order
        self.server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict:
        i = self.issuer
        return {
            "issuer": i,
            "authorization_endpoint": f"{i}/authorize",
            "token_endpoint": f"{i}/token",
            "userinfo_endpoint": f"{i}/userinfo",
            "jwks_uri": f"{i}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
            "claims_supported": ["sub", "email", "email_verified", "name", "nonce"],
        }

    def jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]}

    def _redirect_ok(self, uri: str) -> bool:
        if self.redirect_uris:
            return uri in self.redirect_uris
        parts = urlsplit(uri)
        return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")

    # ------------------------------------------------------------------ endpoints

    def authorize(self, q: dict[str, str]) -> tuple[int, dict, str]:
        redirect = q.get("redirect_uri", "")
        if q.get("client_id") != self.client_id or not self._redirect_ok(redirect):
            return 400, {}, "bad client or redirect_uri"
        if q.get("response_type") != "code" or "openid" not in q.get("scope", "").split():
            return 400, {}, "unsupported request"
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return 400, {}, "PKCE S256 required"
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {
                "redirect_uri": redirect,
                "challenge": q["code_challenge"],
                "nonce": q.get("nonce"),
                "identity": self.identity,
                "at": time.time(),
            }
        back = {"code": code, **({"state": q["state"]} if "state" in q else {})}
        sep = "&" if "?" in redirect else "?"
        return 302, {"Location": f"{redirect}{sep}{urlencode(back)}"}, ""

    def token(self, form: dict[str, str], auth: str | None) -> tuple[int, dict]:
        cid, secret = form.get("client_id"), form.get("client_secret")
        if auth and auth.startswith("Basic "):
            raw = base64.b64decode(auth[6:]).decode()
            cid, _, secret = raw.partition(":")
        if cid != self.client_id or not secrets.compare_digest(secret or "", self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or time.time() - grant["at"] > 60:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        ident: Identity = grant["identity"]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": ident.sub,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "email": ident.email,
            "email_verified": ident.email_verified,
            "name": ident.name,
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        header = {"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}
        id_token = jwt.encode(header, claims, self.key)
        access = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[access] = ident
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
            "scope": "openid email profile",
        }

    def userinfo(self, auth: str | None) -> tuple[int, dict]:
        token = auth[7:] if auth and auth.startswith("Bearer ") else ""
        with self.lock:
            ident = self.tokens.get(token)
        if ident is None:
            return 401, {"error": "invalid_token"}
        return 200, {
            "sub": ident.sub,
            "email": ident.email,
            "email_verified": ident.email_verified,
            "name": ident.name,
        }

    # ------------------------------------------------------------------ server

    def start(self) -> Provider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: dict | str, headers: dict | None = None) -> None:
                data = json.dumps(body) if isinstance(body, dict) else body
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                ctype = "application/json" if isinstance(body, dict) else "text/plain"
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                raw = data.encode()
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                provider.seen.append(parts.path)
                q = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif parts.path == "/jwks":
                    self._send(200, provider.jwks())
                elif parts.path == "/authorize":
                    status, headers, body = provider.authorize(q)
                    self._send(status, body, headers)
                elif parts.path == "/userinfo":
                    self._send(*provider.userinfo(self.headers.get("Authorization")))
                else:
                    self._send(404, "not found")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                path = urlsplit(self.path).path
                provider.seen.append(path)
                if path == "/token":
                    self._send(*provider.token(form, self.headers.get("Authorization")))
                elif path == "/userinfo":
                    self._send(*provider.userinfo(self.headers.get("Authorization")))
                else:
                    self._send(404, "not found")

        self.server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> Provider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":  # run by hand: python tests/oidc_provider.py
    p = Provider(port=0).start()
    print(json.dumps({"metadata": p.metadata_url, "secret": p.client_secret}))
    threading.Event().wait()
