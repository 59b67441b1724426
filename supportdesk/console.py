"""The ``supportdesk`` console script: the mail gate, or the Flask CLI.

``supportdesk ingest-email --url URL`` is what an MTA runs once per message, so it goes to
the mail gate (``channels.email.mailgate``, standard library only) before anything imports
click, Flask or the app, as ``supportdesk.cli`` does; every other command, and ``--help``
with it, is ``supportdesk.cli.main``.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if _is_mail_gate(args):
        from supportdesk.channels.email.mailgate import main as mail_gate

        sys.exit(mail_gate(args[1:]))
    from supportdesk.cli import main as cli

    cli()


def _is_mail_gate(args: list[str]) -> bool:
    options = args[1:]
    return (
        args[:1] == ["ingest-email"]
        and any(option == "--url" or option.startswith("--url=") for option in options)
        and "--help" not in options
    )


if __name__ == "__main__":
    main()
