from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supportdesk.core.models import str_enum
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.customers.identities import IdentityKind
from supportdesk.extensions import db


class Customer(db.Model):  # type: ignore[name-defined]
    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when this customer was merged into another; the row stays so that its id
    # can answer "merged into N" instead of a bare 404.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )

    identities: Mapped[list[Identity]] = relationship(
        back_populates="customer", order_by="Identity.id", cascade="all, delete-orphan"
    )

    def _values(self, kind: IdentityKind) -> list[str]:
        return [i.value for i in self.identities if i.kind == kind]

    @property
    def emails(self) -> list[str]:
        return self._values(IdentityKind.EMAIL)

    @property
    def phones(self) -> list[str]:
        return self._values(IdentityKind.PHONE)

    @property
    def external_id(self) -> str | None:
        values = self._values(IdentityKind.EXTERNAL)
        return values[0] if values else None


class Identity(db.Model):  # type: ignore[name-defined]
    """One way to recognise a customer. A value belongs to one customer at most."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identities_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[IdentityKind] = mapped_column(str_enum(IdentityKind))
    value: Mapped[str] = mapped_column(String(320))
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="identities")
