import marshmallow as ma

from supportdesk.core.fields import text


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.String(metadata={"enum": ["admin", "agent"]})
    created_at = ma.fields.DateTime()


class LoginSchema(ma.Schema):
    email = text(required=True, max_length=320)
    password = text(required=True, max_length=1000, load_only=True)


class SessionSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)
    csrf_token = ma.fields.String()
