"""`supportdesk search reindex` rebuilds every index from the rows it indexes."""

from __future__ import annotations

import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.search import service as search
from supportdesk.search.models import SearchArticle, SearchCustomer, SearchTerm, SearchTicketText
from tests.factories import ArticleFactory, CustomerFactory, MessageFactory, TicketFactory


def forget_everything() -> None:
    """As a desk upgraded with data is: rows, and no documents."""
    for model in (SearchArticle, SearchTicketText, SearchCustomer, SearchTerm):
        db.session.execute(sa.delete(model))
    db.session.commit()


def test_reindex_finds_again_what_was_there_before_the_index(app):
    customer = CustomerFactory(name="Quentin Blake", phones=["+44 20 7946 0958"])
    ticket = TicketFactory(customer=customer, subject="Kettle broken", body="It whistles.")
    MessageFactory(ticket=ticket, body="Also the toaster.")
    article = ArticleFactory(title="Descaling the kettle", body="Use vinegar.")
    db.session.commit()
    forget_everything()
    assert search.search_tickets(db.session, "toaster") == []

    result = app.test_cli_runner().invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "tickets: 3 documents" in result.output
    assert [h.id for h in search.search_tickets(db.session, "toaster")] == [ticket.id]
    assert [h.id for h in search.search_tickets(db.session, "kettle")] == [ticket.id]
    assert [h.id for h in search.search_customers(db.session, "7946 0958")] == [customer.id]
    assert [h.id for h in search.search_articles(db.session, "descaling")] == [article.id]
    assert [h.id for h in search.search_articles(db.session, "descalign")] == [article.id]


def test_reindex_of_one_kind_leaves_the_others_alone(app):
    CustomerFactory(name="Quentin Blake")
    TicketFactory(subject="Kettle broken")
    db.session.commit()
    forget_everything()

    result = app.test_cli_runner().invoke(args=["search", "reindex", "--kind", "customers"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "customers: 2 documents"
    assert len(search.search_customers(db.session, "quentin")) == 1
    assert search.search_tickets(db.session, "kettle") == []
