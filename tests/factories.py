"""factory-boy factories: the test world is built through the same services users go through."""

from __future__ import annotations

import secrets
from typing import Any

import factory

from supportdesk.extensions import db
from supportdesk.tickets.models import AuthorKind, Direction

PASSWORD = "correct horse battery"


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    email = factory.Sequence(lambda n: f"agent{n}@desk.example")
    name = factory.Faker("name")
    role = "agent"
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.users.service import create_user

        return create_user(db.session, **kwargs)


class CustomerFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Faker("name")
    emails = factory.Sequence(lambda n: [f"customer{n}@mail.example"])
    phones: list[str] = []
    external_id = None
    locale = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.customers.service import create_customer

        return create_customer(db.session, **kwargs)


class TicketFactory(factory.Factory):
    class Meta:
        model = dict

    subject = factory.Faker("sentence", nb_words=5)
    channel = "email"
    customer = factory.SubFactory(CustomerFactory)
    body = factory.Faker("paragraph")
    priority = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.tickets.service import create_ticket

        return create_ticket(db.session, **kwargs)


class MessageFactory(factory.Factory):
    """A customer's message by default; pass ``author_kind``/``direction`` for agents."""

    class Meta:
        model = dict

    ticket = factory.SubFactory(TicketFactory)
    body = factory.Faker("paragraph")
    channel = factory.LazyAttribute(lambda o: o.ticket.channel)
    direction = Direction.INBOUND
    author_kind = AuthorKind.CUSTOMER
    author_customer = factory.LazyAttribute(
        lambda o: o.ticket.customer if o.author_kind is AuthorKind.CUSTOMER else None
    )

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.tickets.service import add_message

        ticket = kwargs.pop("ticket")
        return add_message(db.session, ticket, **kwargs)


class AttachmentFactory(factory.Factory):
    """A file on ``message`` (a message's row), as the desk keeps it."""

    class Meta:
        model = dict

    message = None
    filename = "receipt.pdf"
    content_type = "application/pdf"
    data = b"%PDF-1.4 ."

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.tickets.models import Attachment

        message, data = kwargs.pop("message"), kwargs.pop("data")
        attachment = Attachment(message_id=message.id, size=len(data), data=data, **kwargs)
        db.session.add(attachment)
        db.session.flush()
        return attachment


class CallFactory(factory.Factory):
    class Meta:
        model = dict

    customer = factory.SubFactory(CustomerFactory)
    direction = "inbound"
    phone = None
    duration_seconds = 120
    notes = factory.Faker("sentence")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.tickets.service import log_call

        call, _created = log_call(db.session, **kwargs)
        return call


class QuarantinedMailFactory(factory.Factory):
    """A raw message the desk kept but could not file (it names no sender), through the
    pipeline every inbound message takes; ``receive`` commits, as it does for real."""

    class Meta:
        model = dict

    subject = factory.Sequence(lambda n: f"A note with no sender {n}")
    message_id = factory.Sequence(lambda n: f"<no-sender-{n}@mail.example>")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.channels.email.inbound import receive

        raw = (
            f"Subject: {kwargs['subject']}\r\nMessage-ID: {kwargs['message_id']}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nWho sent this?\r\n"
        ).encode()
        receipt = receive(db.session, raw, source="hook")
        assert receipt.quarantined, receipt
        return receipt


class CannedResponseFactory(factory.Factory):
    class Meta:
        model = dict

    title = factory.Sequence(lambda n: f"Greeting {n}")
    bodies = factory.LazyFunction(
        lambda: {"en": "Hello {{ customer.name }},", "zh-CN": "{{ customer.name }}，您好："}
    )

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.canned.service import create_canned_response

        return create_canned_response(db.session, **kwargs)


class SavedViewFactory(factory.Factory):
    """One of ``owner``'s saved views."""

    class Meta:
        model = dict

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"View {n}")
    filters = factory.LazyFunction(lambda: {"view": "open"})

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.tickets.saved_views import create_saved_view

        return create_saved_view(db.session, kwargs.pop("owner").id, **kwargs)


class CategoryFactory(factory.Factory):
    class Meta:
        model = dict

    names = factory.Sequence(lambda n: {"en": f"Shelf {n}", "zh-CN": f"书架 {n}"})

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.knowledge.categories import create_category

        return create_category(db.session, **kwargs)


class SectionFactory(factory.Factory):
    class Meta:
        model = dict

    category = factory.SubFactory(CategoryFactory)
    names = factory.Sequence(lambda n: {"en": f"Section {n}", "zh-CN": f"分区 {n}"})

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.knowledge.categories import create_section

        return create_section(db.session, category_id=kwargs.pop("category").id, **kwargs)


class ArticleFactory(factory.Factory):
    """A published English article by default; ``status="draft"``, ``locale="zh-CN"``,
    ``translation_of=<id>`` as the API takes them."""

    class Meta:
        model = dict

    title = factory.Sequence(lambda n: f"How to descale the machine, part {n}")
    body = factory.Faker("paragraph")
    locale = "en"
    status = "published"
    author = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.knowledge.articles import create_article
        from supportdesk.knowledge.models import ArticleStatus

        return create_article(db.session, **{**kwargs, "status": ArticleStatus(kwargs["status"])})


class VisitorFactory(factory.Factory):
    """A widget visitor, as the chat keeps it (its token's digest); ``token`` is the one
    the widget was given (``VisitorFactory().token``)."""

    class Meta:
        model = dict

    customer = None
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from supportdesk.channels.chat.identity import token_hash
        from supportdesk.channels.chat.models import Visitor

        customer, token = kwargs["customer"], kwargs["token"]
        visitor = Visitor(token_hash=token_hash(token), customer_id=customer and customer.id)
        db.session.add(visitor)
        db.session.flush()
        visitor.token = token
        return visitor
