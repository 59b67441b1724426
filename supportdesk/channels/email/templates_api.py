"""Admins edit the wording of the mails the desk sends by itself."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.channels.email import templates
from supportdesk.core.auth import admin_required, agent_required
from supportdesk.core.fields import text
from supportdesk.extensions import db

blp = Blueprint("email_templates", __name__, url_prefix="/api/v1/email", description="E-mail")


class TemplateSchema(ma.Schema):
    key = ma.fields.String()
    locale = ma.fields.String()
    subject = ma.fields.String()
    body = ma.fields.String()
    variables = ma.fields.List(ma.fields.String())
    customized = ma.fields.Boolean()


class TemplateUpdateSchema(ma.Schema):
    subject = text(required=True, min_length=1, max_length=500)
    body = text(required=True, min_length=1, max_length=20_000)


class TemplateListSchema(ma.Schema):
    """The contract's list shape; every template fits on one page."""

    items = ma.fields.List(ma.fields.Nested(TemplateSchema))
    next_cursor = ma.fields.String(allow_none=True)


def _view(key: str, locale: str) -> dict[str, Any]:
    wording, customized = templates.wording(db.session, key, locale)
    return {
        "key": key,
        "locale": locale,
        "subject": wording.subject,
        "body": wording.body,
        "variables": list(templates.VARIABLES[key]),
        "customized": customized,
    }


@blp.route("/templates", methods=["GET"])
@agent_required
@blp.response(200, TemplateListSchema)
def list_templates() -> dict[str, Any]:
    """Every template in every locale, as it is in force."""
    items = [_view(key, locale) for key, locale in templates.DEFAULTS]
    return {"items": items, "next_cursor": None}


@blp.route("/templates/<key>/<locale>", methods=["PUT"])
@admin_required
@blp.arguments(TemplateUpdateSchema)
@blp.response(200, TemplateSchema)
def save_template(fields: dict[str, str], key: str, locale: str) -> dict[str, Any]:
    """Reword a template (Jinja syntax, with the variables listed on it)."""
    templates.save(db.session, key, locale, fields["subject"], fields["body"])
    db.session.commit()
    return _view(key, locale)


@blp.route("/templates/<key>/<locale>", methods=["DELETE"])
@admin_required
@blp.response(200, TemplateSchema)
def reset_template(key: str, locale: str) -> dict[str, Any]:
    """Back to the default wording."""
    templates.reset(db.session, key, locale)
    db.session.commit()
    return _view(key, locale)
