import { describe, expect, it } from "vitest";
import { fillPlaceholders, placeholder } from "./templatePreview";

describe("fillPlaceholders", () => {
  const values = { customer_name: "王芳", ticket_ref: "SD-1042" };

  it("fills each variable however it is spaced", () => {
    expect(fillPlaceholders("{{ customer_name }}，您好：请求 {{ticket_ref}} 已收到（{{  ticket_ref  }}）", values)).toBe(
      "王芳，您好：请求 SD-1042 已收到（SD-1042）",
    );
  });

  it("leaves what it does not know as written: unknown names, filters, blocks", () => {
    const text = "{{ survey_url }} {{ customer_name | upper }} {% if code %}x{% endif %}";
    expect(fillPlaceholders(text, values)).toBe(text);
  });

  it("writes a variable the way a template does", () => {
    expect(placeholder("customer.name")).toBe("{{ customer.name }}");
  });
});
