"""Admins drop quarantined mail they have read and judged worthless."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.channels.email.discard import discard_quarantined
from supportdesk.core.auth import admin_required
from supportdesk.extensions import db

blp = Blueprint("email_discard", __name__, url_prefix="/api/v1/email", description="E-mail")


@blp.route("/inbound/<id:inbound_id>", methods=["DELETE"])
@admin_required
@blp.response(204)
def delete_quarantined_email(inbound_id: int) -> None:
    """Delete a quarantined e-mail for good (admins only; logged with who deleted it)."""
    discard_quarantined(db.session, inbound_id, current_user._get_current_object())
    db.session.commit()
