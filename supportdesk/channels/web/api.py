"""``POST /portal/tickets``: a request from the help center, by anyone (rate-limited)."""

from __future__ import annotations

from typing import Any

from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from supportdesk.channels.web import requests
from supportdesk.channels.web.schemas import PortalTicketCreateSchema, PortalTicketSchema
from supportdesk.core.settings import settings
from supportdesk.extensions import db, limiter
from supportdesk.knowledge import voters

blp = Blueprint(
    "portal", __name__, url_prefix="/api/v1", description="Self-service: the help center's requests"
)


#: one budget per client address for the API and the form alike
request_limit = limiter.shared_limit(
    lambda: settings().web_request_rate_limit, scope="web-request", key_func=get_remote_address
)


@blp.route("/portal/tickets", methods=["POST"])
@blp.doc(security=[])
@request_limit
@blp.arguments(PortalTicketCreateSchema)
@blp.response(201, PortalTicketSchema)
def create_portal_ticket(body: dict[str, Any]) -> dict[str, str]:
    """File a request from the help center (anyone): a ticket on channel ``web``.

    ``email`` is where the answer goes; it is a claim, not a proof, so the request is
    filed under a customer of its own and never joins the history of whoever owns the
    address. ``article_id`` names the article the reader came from; the comment of
    their No on it (their vote cookie) joins the request. A body that fills in
    ``website`` (a trap for bots) is answered as usual and filed nowhere. Rate-limited
    per client address (``SUPPORTDESK_WEB_REQUEST_RATE_LIMIT``).
    """
    if body.pop("website", None):
        return {"ref": requests.trap_ref(db.session)}
    voter = voters.request_voter(db.session, None)
    filed = requests.file_request(db.session, voter=voter, **body)
    db.session.commit()
    return {"ref": filed.ticket.ref}
