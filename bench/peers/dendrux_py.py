"""dendrux (Python) workload, run by run.mjs with the interpreter given in DENDRUX_PY.

The reference's own Agent and scripted MockLLM on the same 5-turn tool loop: in
memory (no state store), on a SQLite file, on PostgreSQL. One agent per process,
a fresh script per run. Prints one JSON line like the Node workloads.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from typing import Any

from dendrux import Agent, tool
from dendrux.llm.base import LLMProvider
from dendrux.llm.mock import MockLLM
from dendrux.types import LLMResponse, ToolCall, UsageStats

ITERATIONS = 5
TOOL_TURNS = ITERATIONS - 1


@tool()
async def add(a: float, b: float) -> float:
    """Add."""
    return a + b


def script() -> MockLLM:
    usage = lambda: UsageStats(input_tokens=10, output_tokens=5, total_tokens=15)  # noqa: E731
    steps = [LLMResponse(tool_calls=[ToolCall("add", {"a": i, "b": i})], usage=usage()) for i in range(1, TOOL_TURNS + 1)]
    steps.append(LLMResponse(text="done", usage=usage()))
    return MockLLM(steps)


class Current(LLMProvider):
    """The agent keeps one provider; each run gets a fresh MockLLM script behind it."""

    def __init__(self) -> None:
        self.llm = script()

    @property
    def model(self) -> str:
        return self.llm.model

    async def complete(self, messages: Any, tools: Any = None, **kwargs: Any) -> LLMResponse:
        return await self.llm.complete(messages, tools, **kwargs)


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    provider = Current()
    options = {"database_url": spec["url"]} if spec.get("url") else {}
    agent = Agent(provider=provider, prompt="p", tools=[add], max_iterations=ITERATIONS, **options)

    async def once(llm: MockLLM) -> None:
        provider.llm = llm
        result = await agent.run("go")
        if result.answer != "done" or result.iteration_count != ITERATIONS:
            raise RuntimeError(f"unexpected dendrux-py result: {result.status}")

    # Same rule as sample.mjs: at least `warmup` runs and `warmupMs` of them.
    warm_until = time.perf_counter() + spec.get("warmupMs", 0) / 1000
    warmed = 0
    while warmed < spec["warmup"] or time.perf_counter() < warm_until:
        await once(script())
        warmed += 1
    # Same rule as sample.mjs: spec["runs"] timed runs, or fewer once budgetMs is spent (at least minRuns).
    samples: list[float] = []
    budget = spec.get("budgetMs")
    while len(samples) < spec["runs"] and (budget is None or sum(samples) < budget or len(samples) < spec["minRuns"]):
        llm = script()
        t0 = time.perf_counter()
        await once(llm)
        samples.append((time.perf_counter() - t0) * 1000)

    import dendrux

    out: dict[str, Any] = {"samples": samples, "iterations": ITERATIONS, "python": sys.version.split()[0], "version": getattr(dendrux, "__version__", "?")}
    if spec["backend"] == "sqlite":
        # The agent's own engine (aiosqlite), as every connection of its pool is set up.
        from sqlalchemy import text

        async with agent._private_engine.connect() as conn:  # noqa: SLF001
            journal = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            synchronous = (await conn.execute(text("PRAGMA synchronous"))).scalar()
        out["sqlite"] = {"journalMode": journal, "synchronous": synchronous, "version": sqlite3.sqlite_version}
    await agent.close()
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
