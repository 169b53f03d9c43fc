/**
 * CPU time spent by chosen processes over an interval, and the share of the
 * machine's time the hypervisor took away (steal), read from Linux's /proc.
 * Latency figures from a shared virtual machine swing with its neighbours'
 * load; CPU time per request and the steal beside them say whether a figure
 * moved because of the code or because of the machine. Elsewhere than Linux
 * every reading is `null`.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuReading {
  /** CPU seconds (user + system, all threads) per process group. */
  readonly seconds: Readonly<Record<string, number>>;
  /** Steal as a share of all CPU time in the interval, 0–1. */
  readonly steal: number;
}

/** Clock ticks per second for /proc's times (USER_HZ, 100 on every Linux build in use). */
const TICKS = 100;

function processTicks(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // exited in the meantime
  }
}

function machineTicks(): { steal: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: cpu[7]!, total: cpu.reduce((a, b) => a + b, 0) };
}

/** Pids of processes whose command name is `name` (such as `postgres`). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * Starts counting; the returned function stops and reads. `groups` maps a
 * label to the pids to count, looked up again at the end so processes
 * started in between (a database's new backends) count from zero.
 */
export function startCpuMeter(groups: Readonly<Record<string, () => readonly number[]>>): () => CpuReading | null {
  if (process.platform !== "linux") return () => null;
  const before = new Map<number, number>();
  for (const pids of Object.values(groups)) for (const pid of pids()) before.set(pid, processTicks(pid));
  const machine = machineTicks();
  return () => {
    const seconds: Record<string, number> = {};
    for (const [label, pids] of Object.entries(groups)) {
      let ticks = 0;
      for (const pid of pids()) ticks += processTicks(pid) - (before.get(pid) ?? 0);
      seconds[label] = ticks / TICKS;
    }
    const now = machineTicks();
    const total = now.total - machine.total;
    return { seconds, steal: total > 0 ? (now.steal - machine.steal) / total : 0 };
  };
}
