import { z } from "zod";
import { ValidationError } from "../../errors/validation-error.js";

type Json = Record<string, unknown>;

const NAME_PATTERN = /[^a-zA-Z0-9_-]+/g;
const DEFAULT_NAME = "structured_output";

/**
 * The JSON Schema of a structured-output type, as the model must write it:
 * the zod *input* shape (what parsing accepts), draft-07, without `$schema`
 * (vendors reject it inside a tool's `input_schema`). A type JSON Schema
 * cannot describe (`z.date()`, `z.bigint()`…) is a `ValidationError`.
 */
export function outputJsonSchema(type: z.ZodType): Json {
  let raw: Json;
  try {
    raw = z.toJSONSchema(type, { target: "draft-7", io: "input" }) as Json;
  } catch (error) {
    throw new ValidationError({ field: "outputType", message: `outputType cannot be expressed as JSON Schema: ${(error as Error).message}` });
  }
  const { $schema: _dialect, ...schema } = raw;
  return schema;
}

/**
 * The schema's name for vendors that want one (`^[a-zA-Z0-9_-]{1,64}$`): its
 * `title` (zod `.meta({ title })`), else its description (`.describe()`), else
 * `structured_output`.
 */
export function outputSchemaName(schema: Json): string {
  for (const candidate of [schema.title, schema.description]) {
    if (typeof candidate !== "string") continue;
    const name = candidate.trim().replace(NAME_PATTERN, "_").replace(/^_+|_+$/g, "").slice(0, 64);
    if (name) return name;
  }
  return DEFAULT_NAME;
}

/** Whether a schema node already admits `null`. */
export function acceptsNull(node: unknown): boolean {
  if (!node || typeof node !== "object") return false;
  const n = node as Json;
  if (n.type === "null" || (Array.isArray(n.type) && n.type.includes("null"))) return true;
  if (Array.isArray(n.enum) && n.enum.includes(null)) return true;
  if ("const" in n && n.const === null) return true;
  return ["anyOf", "oneOf"].some((key) => Array.isArray(n[key]) && (n[key] as unknown[]).some(acceptsNull));
}

function resolve(root: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return node;
  if (ref === "#") return root;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = (target as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return target && typeof target === "object" ? (target as Json) : node;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;
}

function admitsType(node: Json, type: string): boolean {
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? null : [node.type];
  if (types === null) return node.properties !== undefined ? type === "object" : true;
  return types.includes(type) || (type === "integer" && types.includes("number"));
}

/** For a union, the branch a value was written against: the first whose type fits and whose keys cover the value's. */
function branchFor(root: Json, branches: unknown[], value: unknown): Json | null {
  const type = jsonType(value);
  const fitting = branches.map((b) => resolve(root, b as Json)).filter((b) => admitsType(b, type));
  if (type === "object" && fitting.length > 1) {
    const keys = Object.keys(value as Json);
    const covering = fitting.find((b) => {
      const props = (b.properties as Json | undefined) ?? {};
      return keys.every((k) => k in props) && Object.entries(props).every(([k, p]) => !("const" in (p as Json)) || (value as Json)[k] === (p as Json).const);
    });
    if (covering) return covering;
  }
  return fitting[0] ?? null;
}

function restore(root: Json, schema: Json, value: unknown, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== "object") return value;
  const node = resolve(root, schema);
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const branch = branchFor(root, union, value);
    return branch ? restore(root, branch, value, depth + 1) : value;
  }
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items || typeof items !== "object") return value;
    return value.map((v, i) => restore(root, (Array.isArray(items) ? items[i] : items) as Json, v, depth + 1));
  }
  const properties = node.properties as Record<string, Json> | undefined;
  if (!properties) return value;
  const required = new Set((node.required as string[] | undefined) ?? []);
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    const property = properties[key];
    if (!property) {
      out[key] = v;
    } else if (v === null && !required.has(key) && !acceptsNull(resolve(root, property))) {
      continue;
    } else {
      out[key] = restore(root, property, v, depth + 1);
    }
  }
  return out;
}

/**
 * Strict structured output makes optional fields required and nullable, so a
 * model writes `null` for "absent". This maps such a `null` back to a missing
 * key, wherever the original schema has an optional field that does not itself
 * accept `null`, so zod sees the value it was written for.
 */
export function restoreOptionalFields(schema: Json, value: unknown): unknown {
  return restore(schema, schema, value, 0);
}
