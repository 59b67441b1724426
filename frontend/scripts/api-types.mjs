// Regenerates agent/src/api/schema.d.ts, the workspace's API types, from the desk's OpenAPI
// document (`supportdesk openapi write`). tests/test_api_types.py fails when the committed file
// differs from what this writes, so run it after changing the API:
//   npm run api-types        (uses ../.venv/bin/supportdesk, or `supportdesk` on PATH)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const here = (path) => new URL(path, import.meta.url).pathname;
const venv = here("../../.venv/bin/supportdesk");
const supportdesk = existsSync(venv) ? venv : "supportdesk";
const scratch = mkdtempSync(join(tmpdir(), "supportdesk-api-types-"));
try {
  const spec = join(scratch, "openapi.json");
  execFileSync(supportdesk, ["openapi", "write", spec], {
    stdio: "inherit",
    env: { ...process.env, SUPPORTDESK_INSTANCE_PATH: scratch },
  });
  execFileSync(here("../node_modules/.bin/openapi-typescript"), [spec, "-o", here("../agent/src/api/schema.d.ts")], {
    stdio: "inherit",
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
