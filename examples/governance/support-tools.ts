/** The support desk's tools, shared by the governance examples. */
import { z } from "zod";
import { tool } from "dendrux";

export const search = tool({
  name: "search",
  description: "Search customer records.",
  parameters: z.object({ query: z.string() }),
  execute: ({ query }) => `Found: customer record for '${query}'`,
});

export const refund = tool({
  name: "refund",
  description: "Refund an order. A manager must approve it.",
  parameters: z.object({ order_id: z.number() }),
  execute: ({ order_id }) => `Refunded $${(order_id * 10).toFixed(2)} for order ${order_id}`,
});

export const deleteAccount = tool({
  name: "delete_account",
  description: "Delete a user account for good.",
  parameters: z.object({ user_id: z.number() }),
  execute: ({ user_id }) => `Deleted user ${user_id}`,
});

export const SUPPORT_PROMPT =
  "You are a support agent. Always act through the matching tool: refund for refunds, delete_account to delete an " +
  "account, search to look customers up.";
