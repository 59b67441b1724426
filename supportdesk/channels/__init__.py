"""The channels conversations arrive on: e-mail, chat, phone, the self-service web."""
