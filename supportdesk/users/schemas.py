from typing import Any

import marshmallow as ma

from supportdesk.core.fields import text
from supportdesk.core.pagination import page_schema
from supportdesk.users.preferences import LOCALES
from supportdesk.users.service import MIN_PASSWORD_LENGTH

ROLES = ["admin", "agent"]


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.String(metadata={"enum": ROLES})
    active = ma.fields.Boolean()
    created_at = ma.fields.DateTime()


UserPageSchema = page_schema(UserSchema, "UserPage")


#: what a missing choice of language means, said wherever ``locale`` is read or written
FOLLOWS = {"description": "null: the workspace speaks the browser's language (the default)"}


class MeSchema(UserSchema):
    """The caller's own account, with what their workspace remembers for them."""

    locale = ma.fields.String(allow_none=True, metadata={"enum": [*LOCALES, None], **FOLLOWS})
    time_zone = ma.fields.String(metadata={"example": "Asia/Shanghai"})
    ring = ma.fields.Boolean(metadata={"description": "Sound on incoming chats"})


class PreferencesUpdateSchema(ma.Schema):
    locale = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(LOCALES), metadata=FOLLOWS
    )
    time_zone = text(
        min_length=1,
        max_length=64,
        metadata={"description": "An IANA time zone name, such as Asia/Shanghai"},
    )
    ring = ma.fields.Boolean(metadata={"description": "Sound on incoming chats"})


def _password(*, new: bool = False, **kwargs: Any) -> ma.fields.Field:
    """A password field; a ``new`` one states the policy's minimum in the document too
    (the service enforces it for every caller). The maximum keeps argon2 from hashing
    megabytes."""
    minimum = MIN_PASSWORD_LENGTH if new else 0
    return text(min_length=minimum, max_length=1000, load_only=True, **kwargs)


class UserCreateSchema(ma.Schema):
    email = text(required=True, max_length=320, metadata={"format": "email"})
    name = text(required=True, min_length=1, max_length=200)
    password = _password(new=True, required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))


class UserUpdateSchema(ma.Schema):
    name = text(min_length=1, max_length=200)
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    active = ma.fields.Boolean()
    password = _password(new=True)
    current_password = _password(
        metadata={"description": "Required when changing one's own password"}
    )


class LoginSchema(ma.Schema):
    email = text(required=True, max_length=320)
    password = _password(required=True)


class SessionSchema(ma.Schema):
    # the signed-in agent's own account: a reloaded workspace learns their preferences here
    user = ma.fields.Nested(MeSchema)
    csrf_token = ma.fields.String()


class TokenSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    user_id = ma.fields.Integer(metadata={"description": "The token's owner"})
    created_at = ma.fields.DateTime()
    last_used_at = ma.fields.DateTime(allow_none=True)


TokenPageSchema = page_schema(TokenSchema, "TokenPage")


class TokenCreateSchema(ma.Schema):
    name = text(required=True, min_length=1, max_length=200)


class NewTokenSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    token = ma.fields.String(metadata={"description": "Shown this once; only a hash is kept"})
    created_at = ma.fields.DateTime()
