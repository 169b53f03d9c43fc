// Makes the vendor SDKs unresolvable, to test the "missing SDK" error.
import { register } from "node:module";

const hooks = `
const hidden = new Set(["@anthropic-ai/sdk", "openai"]);
export async function resolve(specifier, context, next) {
  if (hidden.has(specifier)) {
    const error = new Error("Cannot find package '" + specifier + "'");
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
