/**
 * A chatbot on an embedded SQLite file: history per turn, thread metadata,
 * and every run of the thread listed with its status and cost.
 *
 *   npx tsx examples/18_chatbot.ts [sqlite:///./chatbot.db]
 */
import { chat } from "./chatbot/chat-turns.js";

await chat(process.argv[2] ?? process.env.DENDRUX_DATABASE_URL ?? "sqlite:///./chatbot.db");
