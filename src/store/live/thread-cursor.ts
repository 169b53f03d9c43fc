const ID = "[^~,:!\\s]+";
const CURSOR = new RegExp(`^(${ID})?~((?:${ID}:\\d{1,10}!?)(?:,${ID}:\\d{1,10}!?)*)?$`);

/**
 * Where a thread stream stands: every run up to the `through` run (in thread
 * order) is finished and delivered; later runs have a position each, and a
 * mark when finished. Written `<through>~<run>:<seq>[!],…` — short, because
 * finished runs fold into `through` as soon as no earlier run is open.
 */
export class ThreadCursor {
  #through: string | null;
  readonly #entries = new Map<string, { seq: number; done: boolean }>();
  #order: readonly string[] = [];

  private constructor(through: string | null) {
    this.#through = through;
  }

  static start(): ThreadCursor {
    return new ThreadCursor(null);
  }

  /** `null` when the text is not a cursor this class wrote. */
  static parse(text: string): ThreadCursor | null {
    const match = CURSOR.exec(text.trim());
    if (!match) return null;
    const cursor = new ThreadCursor(match[1] ?? null);
    for (const part of match[2] ? match[2].split(",") : []) {
      const done = part.endsWith("!");
      const [runId, seq] = (done ? part.slice(0, -1) : part).split(":") as [string, string];
      const value = Number(seq);
      if (!Number.isSafeInteger(value) || value > 2_147_483_647) return null;
      cursor.#entries.set(runId, { seq: value, done });
    }
    return cursor;
  }

  /** The thread's runs in order; folds finished leading runs into `through`. */
  order(runs: readonly string[]): void {
    this.#order = runs;
    this.#fold();
  }

  #throughIndex(): number {
    return this.#through === null ? -1 : this.#order.indexOf(this.#through);
  }

  #fold(): void {
    let index = this.#throughIndex();
    if (this.#through !== null && index < 0) return;
    while (index + 1 < this.#order.length) {
      const next = this.#order[index + 1]!;
      if (!this.#entries.get(next)?.done) break;
      this.#entries.delete(next);
      this.#through = next;
      index += 1;
    }
  }

  isDone(runId: string): boolean {
    const through = this.#throughIndex();
    if (through >= 0) {
      const index = this.#order.indexOf(runId);
      if (index >= 0 && index <= through) return true;
    }
    return this.#entries.get(runId)?.done ?? false;
  }

  /** The last delivered sequence index of the run, `-1` before its first event. */
  position(runId: string): number {
    return this.#entries.get(runId)?.seq ?? -1;
  }

  advance(runId: string, seq: number, done: boolean): void {
    this.#entries.set(runId, { seq, done });
    if (done) this.#fold();
  }

  toString(): string {
    const entries = [...this.#entries].map(([runId, { seq, done }]) => `${runId}:${seq}${done ? "!" : ""}`);
    return `${this.#through ?? ""}~${entries.join(",")}`;
  }
}
