"""The workspace's own checks, run by the one test command.

Its API types (frontend/agent/src/api/schema.d.ts) match the OpenAPI document they are generated
from (an API change nobody regenerated them for fails here, not in a browser), and its unit
tests pass."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.channels.chat.browser import REPO_FRONTEND, _install
from tests.peers import SUPPORTDESK

COMMITTED = REPO_FRONTEND / "agent" / "src" / "api" / "schema.d.ts"


def test_the_generated_api_types_match_the_openapi_document(tmp_path: Path):
    _install(REPO_FRONTEND)
    spec, generated = tmp_path / "openapi.json", tmp_path / "schema.d.ts"
    env = {**os.environ, "SUPPORTDESK_INSTANCE_PATH": str(tmp_path)}
    subprocess.run([*SUPPORTDESK, "openapi", "write", str(spec)], env=env, check=True)
    generator = REPO_FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
    subprocess.run(
        [str(generator), str(spec), "-o", str(generated)], check=True, capture_output=True
    )

    assert generated.read_text() == COMMITTED.read_text(), (
        "frontend/agent/src/api/schema.d.ts is stale: run `npm --prefix frontend run api-types`"
    )


def test_the_workspace_unit_tests_pass():
    """Vitest: the workspace's stores, rules and formatting (frontend/agent/src/**/*.test.ts)."""
    _install(REPO_FRONTEND)
    run = subprocess.run(
        ["npm", "test", "--silent"], cwd=REPO_FRONTEND, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
