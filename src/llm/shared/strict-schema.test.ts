import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "../../errors/validation-error.js";
import { outputJsonSchema, outputSchemaName, restoreOptionalFields } from "./output-schema.js";
import { strictSchema } from "./strict-schema.js";

/**
 * The rules OpenAI documents for strict structured output, as a checker: the
 * root is an object; every object has `additionalProperties: false` and every
 * property in `required`; every node has a type (or a union/ref/enum/const);
 * no unsupported keyword appears.
 */
function strictViolations(schema: Record<string, unknown>): string[] {
  const out: string[] = [];
  const banned = ["allOf", "not", "if", "then", "else", "oneOf", "patternProperties", "propertyNames", "unevaluatedProperties", "minProperties", "maxProperties", "unevaluatedItems", "contains", "uniqueItems", "prefixItems", "additionalItems", "$schema"];
  const visit = (node: Record<string, unknown>, path: string) => {
    for (const key of banned) if (key in node) out.push(`${path}: ${key}`);
    if (!["type", "anyOf", "$ref", "enum", "const"].some((k) => k in node)) out.push(`${path}: no type`);
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (types.includes("object")) {
      if (node.additionalProperties !== false) out.push(`${path}: additionalProperties`);
      const keys = Object.keys((node.properties as object) ?? {});
      const required = (node.required as string[]) ?? [];
      if (keys.length !== required.length || !keys.every((k) => required.includes(k))) out.push(`${path}: required`);
      for (const [k, v] of Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {})) visit(v, `${path}.${k}`);
    }
    if (node.items) visit(node.items as Record<string, unknown>, `${path}[]`);
    for (const branch of (node.anyOf as Record<string, unknown>[]) ?? []) visit(branch, `${path}|`);
  };
  if (schema.type !== "object") out.push("root: not an object");
  visit(schema, "$");
  return out;
}

const Review = z
  .object({
    title: z.string(),
    rating: z.number().int().optional(),
    note: z.string().nullable(),
    both: z.string().nullable().optional(),
    kind: z.enum(["book", "film"]).optional(),
    author: z.object({ name: z.string(), email: z.string().optional() }).optional(),
    tags: z.array(z.object({ label: z.string(), weight: z.number().optional() })),
    retries: z.number().default(3),
  })
  .meta({ title: "Product Review" });

describe("strictSchema", () => {
  it("makes optional fields required and nullable, at every depth, and passes OpenAI's rules", () => {
    const schema = strictSchema(outputJsonSchema(Review));
    expect(strictViolations(schema)).toEqual([]);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(schema.required).toEqual(["title", "note", "tags", "rating", "both", "kind", "author", "retries"]);
    expect(props.rating).toEqual({ type: ["integer", "null"], maximum: Number.MAX_SAFE_INTEGER, minimum: Number.MIN_SAFE_INTEGER });
    expect(props.note).toEqual({ type: ["string", "null"] });
    expect(props.kind).toEqual({ anyOf: [{ type: "string", enum: ["book", "film"] }, { type: "null" }] });
    expect(props.author).toEqual({
      type: ["object", "null"],
      properties: { name: { type: "string" }, email: { type: ["string", "null"] } },
      required: ["name", "email"],
      additionalProperties: false,
    });
    expect((props.tags!.items as Record<string, unknown>).required).toEqual(["label", "weight"]);
  });

  it("reads the model's nulls back as absent fields before zod validates, keeping nulls zod accepts", () => {
    const wire = { title: "T", rating: null, note: null, both: null, kind: null, author: { name: "Ann", email: null }, tags: [{ label: "a", weight: null }], retries: null };
    const restored = restoreOptionalFields(outputJsonSchema(Review), wire);
    expect(restored).toEqual({ title: "T", note: null, both: null, author: { name: "Ann" }, tags: [{ label: "a" }] });
    expect(Review.parse(restored)).toEqual({ title: "T", note: null, both: null, author: { name: "Ann" }, tags: [{ label: "a" }], retries: 3 });
  });

  it("refuses what strict mode cannot express, naming the field", () => {
    const cases: [z.ZodType, RegExp][] = [
      [z.object({ meta: z.object({ counts: z.record(z.string(), z.number()) }) }), /field "meta\.counts" allows keys beyond its declared properties/],
      [z.object({ pair: z.tuple([z.string(), z.number()]) }), /field "pair" is a tuple/],
      [z.object({ x: z.any() }), /field "x" has no type/],
      [z.object({ both: z.string().and(z.object({})) }), /field "both" is an intersection \(allOf\)/],
      [z.object({ items: z.array(z.looseObject({ a: z.string() })) }), /field "items\[\]" allows keys beyond/],
      [z.string(), /the root must be an object/],
    ];
    for (const [type, message] of cases) {
      const error = (() => {
        try {
          strictSchema(outputJsonSchema(type));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("outputType");
      expect((error as ValidationError).message).toMatch(message);
    }
  });

  it("a type JSON Schema cannot describe is a ValidationError on outputType", () => {
    const error = (() => {
      try {
        outputJsonSchema(z.object({ when: z.date() }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "outputType", message: expect.stringMatching(/^outputType cannot be expressed as JSON Schema: .*Date/) });
  });

  it("names the schema from its title or description; no $schema key", () => {
    expect(outputSchemaName(outputJsonSchema(Review))).toBe("Product_Review");
    expect(outputSchemaName(outputJsonSchema(z.object({ a: z.string() }).describe("Sentiment")))).toBe("Sentiment");
    expect(outputSchemaName(outputJsonSchema(z.object({ a: z.string() })))).toBe("structured_output");
    expect(outputJsonSchema(Review)).not.toHaveProperty("$schema");
  });

  it("follows unions and $refs when restoring", () => {
    const Node: z.ZodType = z.object({ value: z.string().optional(), get children() { return z.array(Node).optional(); } });
    const Shape = z.object({ shape: z.discriminatedUnion("kind", [z.object({ kind: z.literal("a"), x: z.number().optional() }), z.object({ kind: z.literal("b"), y: z.string().optional() })]), tree: Node });
    const schema = outputJsonSchema(Shape);
    expect(strictViolations(strictSchema(schema))).toEqual([]);
    const restored = restoreOptionalFields(schema, { shape: { kind: "b", y: null }, tree: { value: null, children: [{ value: "leaf", children: null }] } });
    expect(Shape.parse(restored)).toEqual({ shape: { kind: "b" }, tree: { children: [{ value: "leaf" }] } });
  });
});
