import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "../errors/validation-error.js";
import { isTool, tool } from "./tool.js";

const params = z.object({ a: z.number(), b: z.number().optional(), tags: z.array(z.string()) });

describe("tool()", () => {
  it("computes the model's JSON Schema once, type/properties/required first", () => {
    const t = tool({ name: "add", description: "Add.", parameters: params, execute: () => 1 });
    expect(Object.keys(t.jsonSchema).slice(0, 3)).toEqual(["type", "properties", "required"]);
    expect(t.jsonSchema).toMatchObject({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
      required: ["a", "tags"],
    });
    expect(t.jsonSchema).not.toHaveProperty("$schema");
    expect(Object.isFrozen(t)).toBe(true);
    expect(isTool(t)).toBe(true);
  });

  it("applies the documented defaults", () => {
    const t = tool({ name: "x", description: "", parameters: z.object({}), execute: () => null });
    expect(t).toMatchObject({ target: "server", parallel: true, maxCallsPerRun: null, timeoutSeconds: 120, hasExplicitTimeout: false });
  });

  it.each([
    [{ name: "bad name" }, "name", /must match/],
    [{ name: "x".repeat(65) }, "name", /must match/],
    [{ parameters: z.string() }, "parameters", /zod object schema/],
    [{ target: "browser" }, "target", /not supported/],
    [{ maxCallsPerRun: 0 }, "maxCallsPerRun", /positive integer/],
    [{ timeoutSeconds: -1 }, "timeoutSeconds", /positive number/],
    [{ execute: undefined }, "execute", /needs an execute function/],
  ])("rejects %o naming the field", (override, field, message) => {
    const options = { name: "ok", description: "d", parameters: z.object({}), execute: () => 1, ...override };
    let thrown: unknown;
    try {
      tool(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).field).toBe(field);
    expect((thrown as Error).message).toMatch(message);
  });

  it("lets client tools omit execute", () => {
    expect(tool({ name: "pick", description: "", parameters: z.object({}), target: "client" }).execute).toBeNull();
  });
});
