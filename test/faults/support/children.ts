/** Spawning the fault suite's child processes (`tsx`, like a user's `node --import tsx app.ts`). */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..", "..");

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every complete stdout line so far. */
  readonly lines: string[];
  /** Resolves with the first line matching `pattern` (rejects if the child exits first). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  readonly exited: Promise<number | null>;
  /** Resolves once `count` lines starting with `prefix` were printed (rejects if the child exits first). */
  waitForCount(prefix: string, count: number): Promise<void>;
}

export function spawnChild(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/faults/support", script), ...args], {
    cwd: root,
    env: { ...process.env, DENDRUX_LOG: "silent", DENDRUX_OFFLINE: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  const counters: { prefix: string; count: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  let buffer = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const c of [...counters]) {
        if (line.startsWith(c.prefix) && --c.count <= 0) {
          counters.splice(counters.indexOf(c), 1);
          c.resolve();
        }
      }
      for (const w of [...waiters]) {
        const match = w.pattern.exec(line);
        if (match) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(match);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => {
    for (const c of counters.splice(0)) c.reject(new Error(`${script} exited (${code}) before printing ${c.count} more ${c.prefix} lines`));
    for (const w of waiters.splice(0)) w.reject(new Error(`${script} exited (${code}) before printing ${w.pattern}: ${stderr.slice(-2000)}`));
    resolve(code);
  }));
  return {
    process: child,
    lines,
    exited,
    waitForCount(prefix, count) {
      const seen = lines.filter((l) => l.startsWith(prefix)).length;
      if (seen >= count) return Promise.resolve();
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${script} already exited`));
      return new Promise((resolve, reject) => counters.push({ prefix, count: count - seen, resolve, reject }));
    },
    waitFor(pattern) {
      for (const line of lines) {
        const match = pattern.exec(line);
        if (match) return Promise.resolve(match);
      }
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${script} already exited: ${stderr.slice(-2000)}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}
