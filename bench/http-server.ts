/**
 * The read router over one database, on a loopback port (printed as
 * `port <n>` on stdout): the server side of `npm run bench:http`.
 *
 *   tsx bench/http-server.ts <database url>
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { makeReadRouter } from "../src/http/index.js";
import { RunStore } from "../src/store/index.js";

process.env.DENDRUX_LOG ??= "silent";
const url = process.argv[2];
if (!url) throw new Error("usage: tsx bench/http-server.ts <database url>");
const lc = process.env.BENCH_HTTP_LIST_CONNECTIONS;
const store = RunStore.fromDatabaseUrl(url, lc ? { listConnections: Number(lc) } : {});
const upTo = process.env.BENCH_HTTP_EXACT_TOTAL_UP_TO;
const router = makeReadRouter({ store, authorize: () => undefined, metadataFilter: true, ...(upTo ? { exactTotalUpTo: Number(upTo) } : {}) });
const server = serve({ fetch: router.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => console.log(`port ${info.port}`));
const stop = () => server.close(() => void store.close().then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
