import { z } from "zod";
import { tool } from "../../src/index.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const add = tool({
  name: "add",
  description: "Add two numbers.",
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

export const lookup = tool({
  name: "lookup",
  description: "Look an order up.",
  parameters: z.object({ id: z.string() }),
  execute: ({ id }) => ({ id, status: "shipped" }),
});

export const refund = tool({
  name: "refund",
  description: "Refund an order.",
  parameters: z.object({ id: z.string() }),
  execute: ({ id }) => `refunded ${id}`,
});

export const readRange = tool({
  name: "read_range",
  description: "Read a spreadsheet range in the user's browser.",
  parameters: z.object({ sheet: z.string() }),
  target: "client",
});

/** `Promise.withResolvers` for Node 20. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
