"""Single sign-on against a real local OpenID Connect provider (tests/oidc_provider.py):
the authorization code flow with PKCE, the id_token verified, and the identity mapped to an
account through the accounts table, as the gate does with st.user."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, RSAKey

from access.store import Store
from tests.oidc_provider import Identity, Provider

REDIRECT = "http://127.0.0.1:8599/oauth2callback"


@pytest.fixture
def provider():
    with Provider(identity=Identity("sub-42", "LanhDao@Example.org", "Lãnh đạo")) as p:
        yield p


def _flow(p: Provider, verifier: str | None = None) -> tuple[dict, str, dict]:
    """Run the code flow as Streamlit's Authlib client does; return (token, nonce, meta)."""
    meta = requests.get(p.metadata_url, timeout=5).json()
    client = OAuth2Session(
        p.client_id,
        p.client_secret,
        scope="openid email profile",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )
    code_verifier = generate_token(48)
    nonce = generate_token(20)
    url, state = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    resp = requests.get(url, allow_redirects=False, timeout=5)
    assert resp.status_code == 302
    back = resp.headers["Location"]
    assert back.startswith(REDIRECT)
    assert parse_qs(urlsplit(back).query)["state"] == [state]
    token = client.fetch_token(
        meta["token_endpoint"], authorization_response=back, code_verifier=verifier or code_verifier
    )
    return token, nonce, meta


def _verify(id_token: str, meta: dict, client_id: str, nonce: str) -> dict:
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=5).json())
    tok = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        sub={"essential": True},
    ).validate(tok.claims)
    return tok.claims


def test_discovery_names_the_endpoints(provider: Provider) -> None:
    meta = requests.get(provider.metadata_url, timeout=5).json()
    assert meta["issuer"] == provider.issuer
    assert "S256" in meta["code_challenge_methods_supported"]
    assert requests.get(meta["jwks_uri"], timeout=5).json()["keys"][0]["kty"] == "RSA"


def test_code_flow_with_pkce_and_verified_id_token(provider: Provider, tmp_path: Path) -> None:
    token, nonce, meta = _flow(provider)
    claims = _verify(token["id_token"], meta, provider.client_id, nonce)
    assert claims["sub"] == "sub-42" and claims["email_verified"] is True
    info = requests.get(
        meta["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=5,
    ).json()
    assert info["sub"] == claims["sub"]
    # The identity maps to an account (e-mail case does not matter), as st.user does.
    store = Store(tmp_path / "acc.db")
    store.add_user("lanhdao", "lanh_dao", "034", email="lanhdao@example.org")
    store.add_user("khac", "don_vi", "01153", subject="sub-other")
    user = store.by_identity(claims["email"], claims["sub"])
    assert user is not None and user.username == "lanhdao"
    assert store.by_identity("nobody@example.org", "sub-x") is None
    # An SSO-only account has no password to guess.
    assert store.authenticate("lanhdao", "", None)[0] is None


def test_wrong_pkce_verifier_is_refused(provider: Provider) -> None:
    with pytest.raises(Exception, match=r"invalid_grant|PKCE"):
        _flow(provider, verifier=generate_token(48))


def test_authorize_without_pkce_is_refused(provider: Provider) -> None:
    meta = requests.get(provider.metadata_url, timeout=5).json()
    r = requests.get(
        meta["authorization_endpoint"],
        params={
            "client_id": provider.client_id,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": "openid",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert r.status_code == 400


def test_id_token_signed_by_another_key_fails(provider: Provider) -> None:
    token, _, _ = _flow(provider)
    other = KeySet([RSAKey.generate_key(2048, parameters={"kid": provider.key.kid})])
    with pytest.raises(BadSignatureError):
        jwt.decode(token["id_token"], other, algorithms=["RS256"])
