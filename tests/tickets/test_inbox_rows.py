"""What an inbox row shows besides the ticket (its last message), and what the search box finds."""

from __future__ import annotations

from supportdesk.extensions import db
from supportdesk.tickets.last_messages import SNIPPET_LENGTH, snippet
from supportdesk.tickets.models import AuthorKind, Direction
from tests.factories import CustomerFactory, MessageFactory, TicketFactory, UserFactory


def listed(api, **filters) -> dict[int, dict]:
    return {t["id"]: t for t in api.walk("/tickets", **filters)}


def test_a_row_shows_the_newest_message_that_is_not_a_note(api):
    agent = UserFactory()
    ticket = TicketFactory(body="Where is my parcel?")
    MessageFactory(
        ticket=ticket,
        body="It left the depot.\n\n> Where is my parcel?",
        direction=Direction.OUTBOUND,
        author_kind=AuthorKind.AGENT,
        author_user=agent,
    )
    MessageFactory(
        ticket=ticket,
        body="Customer sounds upset",
        direction=Direction.INTERNAL,
        author_kind=AuthorKind.AGENT,
        author_user=agent,
    )
    quiet = TicketFactory(body=None)
    db.session.commit()

    rows = listed(api)

    last = rows[ticket.id]["last_message"]
    assert (last["direction"], last["snippet"]) == ("outbound", "It left the depot.")
    assert rows[quiet.id]["last_message"] is None


def test_a_snippet_is_one_short_line():
    assert snippet("Hello,\n\n  my   router\tblinks.\n> quoted\n") == "Hello, my router blinks."
    long = snippet("word " * 100)
    assert len(long) == SNIPPET_LENGTH and long.endswith("…")


def test_search_finds_tickets_by_customer_name_address_phone_and_message_words(api):
    maria = CustomerFactory(
        name="Maria Gonzalez", emails=["maria@mail.example"], phones=["+34 612 345 678"]
    )
    by_maria = TicketFactory(customer=maria, subject="Invoice", body="Hello")
    by_words = TicketFactory(subject="Delivery", body="The parcel arrived damaged")
    TicketFactory(subject="Other", body="Nothing to see")
    db.session.commit()

    def found(q: str) -> list[int]:
        return sorted(listed(api, q=q))

    assert found("gonzalez") == [by_maria.id]
    assert found("MARIA@mail.example") == [by_maria.id]
    assert found("+34612345678") == [by_maria.id]
    assert found("arrived damaged") == [by_words.id]
    assert found("nobody-here") == []
