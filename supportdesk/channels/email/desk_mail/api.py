"""Admins edit the wording of the mails the desk sends by itself."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from supportdesk.channels.email.desk_mail import templates
from supportdesk.channels.email.schemas import (
    TemplateListSchema,
    TemplateSchema,
    TemplateUpdateSchema,
)
from supportdesk.core.auth import admin_required, agent_required
from supportdesk.extensions import db

blp = Blueprint("email_templates", __name__, url_prefix="/api/v1/email", description="E-mail")


@blp.route("/templates", methods=["GET"])
@agent_required
@blp.response(200, TemplateListSchema)
def list_templates() -> dict[str, Any]:
    """List the e-mail templates: every one in every locale, as it is in force."""
    return {"items": templates.every_template(db.session), "next_cursor": None}


@blp.route("/templates/<key>/<locale>", methods=["PUT"])
@admin_required
@blp.arguments(TemplateUpdateSchema)
@blp.response(200, TemplateSchema)
def save_template(fields: dict[str, str], key: str, locale: str) -> templates.Template:
    """Reword an e-mail template (Jinja syntax, with the variables listed on it)."""
    templates.save(db.session, key, locale, fields["subject"], fields["body"])
    db.session.commit()
    return templates.in_force(db.session, key, locale)


@blp.route("/templates/<key>/<locale>", methods=["DELETE"])
@admin_required
@blp.response(200, TemplateSchema)
def reset_template(key: str, locale: str) -> templates.Template:
    """Reset an e-mail template to its default wording."""
    templates.reset(db.session, key, locale)
    db.session.commit()
    return templates.in_force(db.session, key, locale)
