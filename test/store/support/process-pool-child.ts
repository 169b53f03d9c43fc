/**
 * A script that configures its database only through DENDRUX_DATABASE_URL:
 * two agents share the process-wide pool and nobody closes it. After its work
 * it prints what still keeps the event loop alive, then ends on its own.
 */
import { Agent } from "../../../src/index.js";
import { MockLLM } from "../../../src/llm/mock/index.js";
import { RunStore } from "../../../src/store/index.js";

const first = new Agent({ name: "Script", provider: new MockLLM(["one"]), prompt: "p" });
const second = new Agent({ name: "Script", provider: new MockLLM(["two"]), prompt: "p" });
const [a, b] = await Promise.all([first.run("x"), second.run("y")]);
const store = RunStore.fromDatabaseUrl(process.env.DENDRUX_DATABASE_URL!);
const stored = await store.getRun(a.runId);
await store.close();
console.log(`${a.status} ${b.status} stored=${stored?.status}`);
// Connections and their idle timers would show up here as TCPSocketWrap and Timeout.
console.log(`alive: ${JSON.stringify(process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "Timeout"))}`);
