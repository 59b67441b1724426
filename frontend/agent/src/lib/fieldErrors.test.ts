import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/client";
import { feedback, useFieldErrors } from "./fieldErrors";

const refusal = (errors: Record<string, string[]>) => new ApiError(422, { title: "Unprocessable Entity", status: 422, errors } as never);

describe("useFieldErrors", () => {
  it("takes the desk's first message for each field the form has", () => {
    const { errors, take } = useFieldErrors();

    const named = take(refusal({ "bodies.zh-CN": ["Unknown placeholder customer.nam", "second"], other: ["x"] }), ["title", "bodies.zh-CN"]);

    expect(named).toBe(true);
    expect({ ...errors }).toEqual({ "bodies.zh-CN": "Unknown placeholder customer.nam" });
  });

  it("says when no field was named, and forgets the last errors", () => {
    const { errors, take } = useFieldErrors();
    take(refusal({ name: ["Required."] }), ["name"]);

    expect(take(new ApiError(409, { title: "Conflict", status: 409 } as never), ["name"])).toBe(false);
    expect(take(new TypeError("Failed to fetch"), ["name"])).toBe(false);
    expect({ ...errors }).toEqual({});
  });

  it("shows a message as the field's red feedback, nothing otherwise", () => {
    expect(feedback("Too short.")).toEqual({ feedback: "Too short.", validationStatus: "error" });
    expect(feedback(undefined)).toEqual({});
  });
});
