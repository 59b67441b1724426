"""The IMAP poller against a real IMAP server (Dovecot) holding real messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient

from supportdesk.channels.email.imap import FILED, poll_mailbox
from supportdesk.extensions import db
from tests.channels.email.conftest import compose
from tests.peers import free_port

USER, PASSWORD = "desk", "imap-secret"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@pytest.fixture
def imap_server() -> Iterator[str]:
    if not Path(DOVECOT).exists():
        if os.environ.get("CI"):
            pytest.fail("Dovecot is required in CI (.ci/run installs dovecot-imapd)")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    # Dovecot's own users must reach its files: not under pytest's private tmp dir.
    tmp_path = Path(tempfile.mkdtemp(prefix="supportdesk-dovecot-"))
    try:
        yield from _run_dovecot(tmp_path)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _run_dovecot(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    shutil.chown(home, "nobody", "nogroup")
    tmp_path.chmod(0o755)
    (tmp_path / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = tmp_path / "dovecot.conf"
    config.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {tmp_path}/run
state_dir = {tmp_path}/state
log_path = {tmp_path}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {tmp_path}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
    )
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)])
    deadline = time.monotonic() + 20
    while True:
        try:
            with IMAPClient("127.0.0.1", port=port, ssl=False, timeout=2) as probe:
                probe.login(USER, PASSWORD)
            break
        except Exception:
            if time.monotonic() > deadline or process.poll() is not None:
                log = (
                    (tmp_path / "dovecot.log").read_text()
                    if (tmp_path / "dovecot.log").exists()
                    else ""
                )
                process.kill()
                pytest.fail(f"Dovecot did not start: {log[-2000:]}")
            time.sleep(0.2)
    try:
        yield f"imap://{USER}:{PASSWORD}@127.0.0.1:{port}/INBOX"
    finally:
        process.terminate()
        process.wait(timeout=10)


def deliver(url_port: str, *messages: bytes) -> None:
    port = int(url_port.rsplit(":", 1)[1].split("/")[0])
    with IMAPClient("127.0.0.1", port=port, ssl=False) as client:
        client.login(USER, PASSWORD)
        for raw in messages:
            client.append("INBOX", raw)


def flags_in_mailbox(url: str) -> list[set[bytes]]:
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with IMAPClient("127.0.0.1", port=port, ssl=False) as client:
        client.login(USER, PASSWORD)
        client.select_folder("INBOX", readonly=True)
        return [set(v[b"FLAGS"]) for v in client.fetch(client.search(), ["FLAGS"]).values()]


def test_poller_files_each_message_once_and_marks_it(app, api, imap_server):
    deliver(
        imap_server,
        compose(subject="Order never arrived", sender=("Ana", "ana@example.com")),
        compose(subject="退款申请", body="请退款，谢谢。", sender=("王芳", "wang@example.com")),
    )

    filed = poll_mailbox(db.session, imap_server)
    again = poll_mailbox(db.session, imap_server)

    assert (filed, again) == (2, 0)
    subjects = sorted(t["subject"] for t in api.walk("/tickets", channel="email"))
    assert subjects == sorted(["Order never arrived", "退款申请"])
    assert all({FILED, b"\\Seen"} <= flags for flags in flags_in_mailbox(imap_server))


def test_a_message_seen_before_is_not_filed_twice(app, api, imap_server):
    raw = compose(subject="Printer on fire", message_id="<fire-1@example.com>")
    deliver(imap_server, raw)
    poll_mailbox(db.session, imap_server)
    # The same message arrives again (a client re-upload, a crash before flagging):
    deliver(imap_server, raw)

    poll_mailbox(db.session, imap_server)

    [ticket] = api.walk("/tickets", channel="email")
    messages = api.walk(f"/tickets/{ticket['id']}/messages")
    assert [m["direction"] for m in messages].count("inbound") == 1
