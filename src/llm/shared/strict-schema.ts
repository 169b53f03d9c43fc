/**
 * JSON Schema for OpenAI strict structured output: every object with
 * properties gets `additionalProperties: false` and all properties required.
 * @see https://platform.openai.com/docs/guides/structured-outputs
 */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== "object") return schema;
  const node: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  if (node.type === "object" && node.properties && typeof node.properties === "object") {
    const properties = Object.fromEntries(Object.entries(node.properties as Record<string, unknown>).map(([k, v]) => [k, strictSchema(v)]));
    node.properties = properties;
    node.additionalProperties = false;
    node.required = [...new Set([...((node.required as string[]) ?? []), ...Object.keys(properties)])];
  }
  if (node.items && typeof node.items === "object") node.items = strictSchema(node.items);
  for (const key of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(node[key])) node[key] = (node[key] as unknown[]).map(strictSchema);
  if (node.$defs && typeof node.$defs === "object") {
    node.$defs = Object.fromEntries(Object.entries(node.$defs as Record<string, unknown>).map(([k, v]) => [k, strictSchema(v)]));
  }
  return node;
}
