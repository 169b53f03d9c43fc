"""The reverse direction: the Python reference reads and resumes runs the TypeScript runtime wrote.

Run through ``npm run compat:reference`` (test/compat/reverse/run.ts writes the runs and a manifest, then calls
this script with the manifest path). Prints one line per check and exits 1 if any check fails.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from dendrux import Agent, tool
from dendrux.llm.mock import MockLLM
from dendrux.store import RunStore
from dendrux.types import LLMResponse, ToolResult, UsageStats

FAILURES: list[str] = []
PASSES = 0


def check(label: str, ok: bool, detail: Any = "") -> None:
    global PASSES
    if ok:
        PASSES += 1
        print(f"  ok    {label}")
    else:
        FAILURES.append(label)
        print(f"  FAIL  {label}: {detail}")


@tool()
async def lookup_order(order_id: str) -> dict:
    """Look up an order by id."""
    return {"order_id": order_id, "status": "delivered"}


@tool()
async def refund_order(order_id: str, amount: float) -> dict:
    """Refund an order."""
    return {"order_id": order_id, "refunded": amount}


@tool(target="client")
async def read_file(path: str) -> str:
    """Read a file on the user's machine."""
    raise AssertionError("client tools never run on the server")


def python_agent(url: str, answer: str | None = None) -> Agent:
    responses = [LLMResponse(text=answer, usage=UsageStats(input_tokens=7, output_tokens=3, total_tokens=10))] if answer else []
    return Agent(
        name="Support", provider=MockLLM(responses, model="mock-py"), prompt="You are a support agent.",
        tools=[lookup_order, refund_order, read_file], require_approval=["refund_order"], database_url=url,
    )


def contiguous(values: list[int]) -> bool:
    return values == list(range(len(values)))


async def read_run(store: RunStore, run: dict[str, Any]) -> None:
    rid, name = run["runId"], run["scenario"]
    detail = await store.get_run(rid)
    check(f"{name}: get_run finds it", detail is not None, rid)
    if detail is None:
        return
    check(f"{name}: status {run['status']}", detail.status == run["status"], detail.status)
    check(f"{name}: agent_name", detail.agent_name == run["agentName"], detail.agent_name)
    totals = run["totals"]
    got = {"input": detail.total_input_tokens, "output": detail.total_output_tokens,
           "reasoning": detail.total_reasoning_tokens, "cacheRead": detail.total_cache_read_tokens}
    check(f"{name}: totals {totals}", got == totals, got)
    events = await store.get_events(rid)
    check(f"{name}: event types", [e.event_type for e in events] == run["eventTypes"], [e.event_type for e in events])
    check(f"{name}: sequence_index contiguous", contiguous([e.sequence_index for e in events]))
    tools = await store.get_tool_invocations(rid)
    check(f"{name}: tool invocations", [t.tool_name for t in tools] == run["toolNames"], [t.tool_name for t in tools])
    traces = await store.get_traces(rid)
    check(f"{name}: traces order_index contiguous", contiguous([t.order_index for t in traces]), [t.order_index for t in traces])
    llm = await store.get_llm_calls(rid)
    check(f"{name}: llm calls readable", all(c.model == "mock-ts" for c in llm), [c.model for c in llm])
    pauses = await store.get_pauses(rid)
    check(f"{name}: pauses readable", all(p.reason for p in pauses), pauses)
    mapping = await store.get_pii_mapping(rid)
    check(f"{name}: pii mapping ({run['piiMappingSize']} entries)", len(mapping) == run["piiMappingSize"], mapping)
    if run.get("children") is not None:
        kids = await store.list_runs(parent_run_id=rid)
        check(f"{name}: delegated child runs ({len(run['children'])}) listed by parent_run_id",
              [k.run_id for k in kids] == run["children"] and len(kids) == 1 and kids[0].delegation_level == 1,
              [(k.run_id, k.delegation_level) for k in kids])
    if run.get("metadata"):
        listed = await store.list_runs(metadata_filter=run["metadata"])
        check(f"{name}: thread query {run['metadata']}", rid in [r.run_id for r in listed], [r.run_id for r in listed])


def read_over_http(url: str, runs: list[dict[str, Any]]) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from dendrux.http import make_read_router

    store = RunStore.from_database_url(url)
    app = FastAPI()
    app.include_router(make_read_router(store=store, authorize=lambda: None))
    with TestClient(app, raise_server_exceptions=False) as client:
        res = client.get("/runs?limit=1000")
        expected = len(runs) + sum(len(r.get("children") or []) for r in runs)
        check(f"router: GET /runs lists every run ({expected})", res.status_code == 200 and res.json()["total"] == expected, res.text[:200])
        for run in runs:
            base = f"/runs/{run['runId']}"
            statuses = {p: client.get(base + p).status_code for p in ["", "/events", "/llm-calls", "/tool-calls", "/traces", "/pauses"]}
            check(f"{run['scenario']}: every read route answers 200", set(statuses.values()) == {200}, statuses)
        client.portal.call(store.close)


async def resume(url: str, store: RunStore, run: dict[str, Any]) -> None:
    nxt, rid, name = run.get("next"), run["runId"], run["scenario"]
    if not nxt:
        return
    before = await store.get_run(rid)
    agent = python_agent(url, "Done by Python.")
    try:
        if nxt["kind"] == "approve":
            result = await agent.submit_approval(rid, approved=True)
        elif nxt["kind"] == "client_results":
            results = [ToolResult(name=r["name"], call_id=r["call_id"], payload=r["payload"]) for r in nxt["results"]]
            result = await agent.submit_tool_results(rid, results)
        elif nxt["kind"] == "input":
            result = await agent.submit_input(rid, nxt["text"])
        else:
            cached = await python_agent(url).run(nxt["input"], idempotency_key=nxt["key"])
            check(f"{name}: the same idempotency key and request return our run", cached.run_id == rid and cached.status.value == "success",
                  (cached.run_id, cached.status))
            return
    except Exception as error:  # noqa: BLE001 - the report names whatever the reference raised
        check(f"{name}: the reference resumes it ({nxt['kind']})", False, repr(error))
        return
    finally:
        await agent.close()
    check(f"{name}: the reference resumes it ({nxt['kind']}) to success", result.status.value == "success", (result.status, result.error))
    check(f"{name}: answer from the resuming side", result.answer == "Done by Python.", result.answer)
    after = await store.get_run(rid)
    events = await store.get_events(rid)
    types = [e.event_type for e in events]
    check(f"{name}: sequence_index contiguous across both writers", contiguous([e.sequence_index for e in events]), [e.sequence_index for e in events])
    check(f"{name}: our events kept, then run.resumed … run.completed", types[: len(run["eventTypes"])] == run["eventTypes"]
          and types[len(run["eventTypes"])] == "run.resumed" and types[-1] == "run.completed", types)
    traces = await store.get_traces(rid)
    check(f"{name}: order_index contiguous across both writers", contiguous([t.order_index for t in traces]), [t.order_index for t in traces])
    if nxt["kind"] == "approve":
        tools = [t.tool_name for t in await store.get_tool_invocations(rid)]
        check(f"{name}: the approved batch ran in Python ({tools})", tools == run["pendingTools"] and len(tools) >= 1, tools)
    calls = await store.get_llm_calls(rid)
    summed = (sum(c.input_tokens for c in calls), sum(c.output_tokens for c in calls))
    check(f"{name}: totals = every LLM call of both writers, counted once",
          (after.total_input_tokens, after.total_output_tokens) == summed,
          {"row before": (before.total_input_tokens, before.total_output_tokens),
           "row after": (after.total_input_tokens, after.total_output_tokens), "calls": summed})
    costs = [c.cost_usd for c in calls if c.cost_usd is not None]
    check(f"{name}: total_cost_usd = the calls' known costs ({round(sum(costs), 6) if costs else None})",
          (after.total_cost_usd is None and not costs) or (costs and abs(float(after.total_cost_usd or 0) - sum(costs)) < 1e-6),
          {"row before": before.total_cost_usd, "row after": after.total_cost_usd, "calls": costs})
    ours_reasoning = sum(c.reasoning_tokens or 0 for c in calls if c.model == "mock-ts")
    # Known reference behaviour: it never reads pause_data.usage.reasoning_tokens, so a run it finishes keeps only
    # the reasoning tokens of its own calls (ours are still in llm_interactions and token_usage).
    check(f"{name}: reasoning tokens of the calls before the pause ({ours_reasoning}) are dropped by the reference's finish",
          after.total_reasoning_tokens == sum(c.reasoning_tokens or 0 for c in calls if c.model != "mock-ts"), after.total_reasoning_tokens)


async def our_indexes(url: str) -> None:
    """Our extra indexes stay in place while the reference reads and writes around them."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    query = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'agent_runs'" if url.startswith("sqlite")
             else "SELECT indexname FROM pg_indexes WHERE tablename = 'agent_runs'")
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        names = [row[0] for row in (await conn.execute(text(query))).all()]
    await engine.dispose()
    postgres = url.startswith("postgres")
    expected = ({"ix_agent_runs_meta_jsonb", "ix_agent_runs_meta_thread_created"} if postgres else {"ix_agent_runs_thread_created"}) | {
        "ix_agent_runs_created_id", "ix_agent_runs_status_created", "ix_agent_runs_agent_created", "ix_agent_runs_tenant_created", "ix_agent_runs_parent_created"}
    ours = expected & set(names)
    check(f"our extra indexes on agent_runs are present after the reference wrote ({sorted(ours)})", ours == expected, names)


async def main(manifest_path: str) -> None:
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    url, runs = manifest["url"], manifest["runs"]
    async with RunStore.from_database_url(url) as store:
        for run in runs:
            await read_run(store, run)
    read_over_http(url, runs)
    async with RunStore.from_database_url(url) as store:
        for run in runs:
            await resume(url, store, run)
    await our_indexes(url)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
    print(f"  {PASSES} checks passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)
