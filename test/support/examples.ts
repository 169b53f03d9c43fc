import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

/** The keys and services an example would use for real: removed, so every example runs offline. */
const ONLINE = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY", "FIRECRAWL_API_KEY", "PRESIDIO_ANALYZER_URL", "OLLAMA_BASE_URL"];

/** The environment of an offline example run against `databaseUrl`. */
export function offlineEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DENDRUX_OFFLINE: "1", DENDRUX_LOG: "silent", NO_COLOR: "1", DENDRUX_DATABASE_URL: databaseUrl, ...extra };
  for (const key of ONLINE) delete env[key];
  return env;
}

/** At most `n` example processes at once: the machine's cores are shared with the rest of the suite. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

function spawnExample(file: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  // stdin is not a terminal: examples that would ask a question play their scripted input instead.
  return spawn(process.execPath, ["--import", "tsx", file, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs an example to its end as a child process. */
export function runExample(file: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnExample(file, args, env);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} did not finish in ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts an example web server (it prints its address) and returns that address. */
export function startExampleServer(file: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawnExample(file, [], { ...env, PORT: "0" });
    let output = "";
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("close", () => done());
        child.kill("SIGTERM");
      });
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} did not print its address in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ url, output: () => output, stop });
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before printing its address:\n${output}`));
    });
  });
}
