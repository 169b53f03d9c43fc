/**
 * The same chatbot on PostgreSQL. Migrate once first:
 *
 *   export DENDRUX_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test
 *   npx dendrux db migrate        # or: npx tsx src/cli/main.ts db migrate
 *   npx tsx examples/19_chatbot_postgres.ts
 */
import { SchemaNotInitializedError } from "dendrux";
import { chat } from "./chatbot/chat-turns.js";

const url = process.env.DENDRUX_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
try {
  await chat(url);
} catch (error) {
  if (!(error instanceof SchemaNotInitializedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
