"""Rate limits count per caller (README): an agent's budget is theirs, wherever they call
from; anonymous callers share their address's; the mail hook has a budget of its own."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.factories import PASSWORD, UserFactory

OFFICE = "203.0.113.9"  # one NAT address for the whole support team


def _mail(n: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"customer{n}@mail.example"
    mail["To"] = "support@desk.example"
    mail["Subject"] = f"Question {n}"
    mail["Message-ID"] = make_msgid(domain="mail.example")
    mail.set_content("Hello.")
    return bytes(mail)


def test_two_agents_behind_one_address_each_have_their_own_budget(app, make_app):
    limited = make_app(RATELIMIT_DEFAULT="3 per minute")
    ada, bo = UserFactory(email="ada@desk.example"), UserFactory(email="bo@desk.example")
    tokens = {user.email: create_token(db.session, user) for user in (ada, bo)}
    db.session.commit()
    client = limited.test_client()
    client.environ_base["REMOTE_ADDR"] = OFFICE

    def me(email: str) -> int:
        bearer = {"Authorization": f"Bearer {tokens[email]}"}
        return client.get("/api/v1/me", headers=bearer).status_code

    assert [me("ada@desk.example") for _ in range(4)] == [200, 200, 200, 429]
    assert me("bo@desk.example") == 200
    # A cookie session counts as its user too (the budget bo's token began), not as the
    # shared address, which ada has used up.
    browser = limited.test_client()
    browser.environ_base["REMOTE_ADDR"] = OFFICE
    signed_in = browser.post(
        "/api/v1/session", json={"email": "bo@desk.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    assert [browser.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]


def test_anonymous_callers_at_one_address_share_its_budget(app, make_app):
    limited = make_app(RATELIMIT_DEFAULT="2 per minute")
    first, second = limited.test_client(), limited.test_client()
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = "198.51.100.4"

    answers = [c.get("/api/v1/me").status_code for c in (first, second, first)]

    assert answers == [401, 401, 429]


def test_the_mail_hook_has_its_own_budget_not_the_apis(app, make_app):
    limited = make_app(RATELIMIT_DEFAULT="2 per minute", EMAIL_HOOK_RATE_LIMIT="4 per minute")
    mta = limited.test_client()
    mta.environ_base["REMOTE_ADDR"] = "192.0.2.25"
    hook = {"Authorization": "Bearer inbound-secret", "Content-Type": "message/rfc822"}

    answers = [mta.post("/hooks/email", data=_mail(n), headers=hook).status_code for n in range(5)]

    assert answers == [202, 202, 202, 202, 429]
    # The API's budget at that address is untouched by the mail.
    assert mta.get("/api/v1/me").status_code == 401
