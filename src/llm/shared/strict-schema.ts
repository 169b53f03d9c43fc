import { ValidationError } from "../../errors/validation-error.js";
import { acceptsNull } from "./output-schema.js";

type Json = Record<string, unknown>;

/** Keywords strict mode documents as unsupported, with what usually produces them in zod. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  allOf: "an intersection (allOf)",
  not: "a negation (not)",
  if: "a conditional (if/then/else)",
  patternProperties: "patternProperties",
  propertyNames: "a record (propertyNames)",
  unevaluatedProperties: "unevaluatedProperties",
  minProperties: "minProperties",
  maxProperties: "maxProperties",
  unevaluatedItems: "unevaluatedItems",
  contains: "contains",
  uniqueItems: "uniqueItems (a set)",
  prefixItems: "a tuple (prefixItems)",
  additionalItems: "a tuple (additionalItems)",
  dependentRequired: "dependentRequired",
  dependentSchemas: "dependentSchemas",
};

function reject(path: string, what: string): never {
  throw new ValidationError({
    field: "outputType",
    message:
      `outputType cannot be enforced by strict structured output: ${path === "" ? "the root" : `field "${path}"`} ${what}. ` +
      "Change that field's zod type (see the structured output section of the providers guide).",
  });
}

function nullable(node: Json): Json {
  if (acceptsNull(node)) return node;
  const hasChoices = Array.isArray(node.enum) || "const" in node;
  if (typeof node.type === "string" && !hasChoices) return { ...node, type: [node.type, "null"] };
  if (Array.isArray(node.type) && !hasChoices) return { ...node, type: [...node.type, "null"] };
  if (Array.isArray(node.anyOf)) return { ...node, anyOf: [...node.anyOf, { type: "null" }] };
  return { anyOf: [node, { type: "null" }] };
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function strictNode(schema: unknown, path: string): Json {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) reject(path, "is not a schema object");
  const node: Json = { ...(schema as Json) };
  const isObject = node.type === "object" || (Array.isArray(node.type) && node.type.includes("object"));
  if (isObject && node.additionalProperties !== undefined && node.additionalProperties !== false) {
    reject(path, "allows keys beyond its declared properties (a record, or a loose/catchall object)");
  }
  for (const key of Object.keys(node)) if (key in UNSUPPORTED) reject(path, `is ${UNSUPPORTED[key]}, which strict mode does not support`);
  if (Array.isArray(node.oneOf)) {
    // Exactly-one and at-least-one are the same to a decoder that writes one branch.
    node.anyOf = node.oneOf;
    delete node.oneOf;
  }
  const kinds = ["type", "anyOf", "$ref", "enum", "const"].filter((k) => k in node);
  if (kinds.length === 0) reject(path, "has no type (z.any() / z.unknown() cannot be expressed)");
  if (Array.isArray(node.anyOf)) node.anyOf = node.anyOf.map((branch, i) => strictNode(branch, `${path}${path ? " " : ""}(union option ${i + 1})`));
  if (isObject) {
    const properties = (node.properties as Record<string, unknown> | undefined) ?? {};
    const required = new Set((node.required as string[] | undefined) ?? []);
    node.properties = Object.fromEntries(
      Object.entries(properties).map(([key, value]) => {
        const strict = strictNode(value, join(path, key));
        return [key, required.has(key) ? strict : nullable(strict)];
      }),
    );
    node.additionalProperties = false;
    node.required = [...new Set([...required, ...Object.keys(properties)])];
  }
  if (node.items !== undefined) {
    if (Array.isArray(node.items)) reject(path, "is a tuple, which strict mode does not support");
    node.items = strictNode(node.items, `${path}[]`);
  }
  for (const defs of ["$defs", "definitions"]) {
    if (node[defs] && typeof node[defs] === "object") {
      node[defs] = Object.fromEntries(Object.entries(node[defs] as Json).map(([k, v]) => [k, strictNode(v, `#/${defs}/${k}`)]));
    }
  }
  return node;
}

/**
 * JSON Schema for OpenAI strict structured output. Every object gets
 * `additionalProperties: false` and all its properties in `required` (declared
 * ones first, so the schema text stays stable for prompt caching); an optional
 * property becomes nullable, and the model's `null` is read back as absent.
 * What strict mode cannot express (records, tuples, intersections, untyped
 * values, a non-object root) is refused with a `ValidationError` naming the
 * field.
 *
 * @see https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
 */
export function strictSchema(schema: Json): Json {
  if (schema.type !== "object") reject("", "must be an object (z.object({...}))");
  return strictNode(schema, "");
}
