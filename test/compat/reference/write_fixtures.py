"""Writes the cross-language fixtures with the real Python reference (dendrux, Python).

Drives the reference's own ``Agent`` with its scripted ``MockLLM`` into
  * a fresh SQLite file (tables created by the reference on first use), and
  * a fresh PostgreSQL database migrated by the reference's ``dendrux db migrate``,
then records what the reference's read router and ``RunStore`` answer for every run.

Outputs (all under this folder, committed; the TypeScript tests never need Python):
  fixtures/reference.db            the SQLite file
  fixtures/reference-postgres.sql  plain-SQL dump (INSERT statements only, no psql meta-commands)
  goldens/sqlite.json              router answers + RunStore answers + run ids per scenario
  goldens/postgres.json            the same for PostgreSQL

Usage: see README.md (``bash test/compat/reference/regenerate.sh``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from dendrux import Agent, tool
from dendrux.guardrails import PII
from dendrux.llm.mock import MockLLM
from dendrux.store import RunStore
from dendrux.strategies.base import Strategy
from dendrux.types import AgentStep, Clarification, LLMResponse, Message, Role, ToolCall, ToolResult, UsageStats

REFERENCE_COMMIT = "7fc44c2"
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDENS = HERE / "goldens"


# --- tools ------------------------------------------------------------------------------------------------------------


@tool()
async def lookup_order(order_id: str) -> dict:
    """Look up an order by id."""
    return {"order_id": order_id, "status": "delivered", "total": 42.5, "items": ["mug", "tée"]}


@tool()
async def refund_order(order_id: str, amount: float) -> dict:
    """Refund an order."""
    return {"order_id": order_id, "refunded": amount}


@tool(target="client")
async def read_file(path: str) -> str:
    """Read a file on the user's machine."""
    raise AssertionError("client tools never run on the server")


RESEARCHER: Agent | None = None


@tool()
async def delegate_research(topic: str) -> str:
    """Ask the research agent."""
    assert RESEARCHER is not None
    result = await RESEARCHER.run(f"Research {topic}")
    return result.answer or ""


class ClarifyStrategy(Strategy):
    """Turns every model answer into a clarification question (the reference has no built-in trigger)."""

    def build_messages(self, *, system_prompt, history, tool_defs):  # type: ignore[override]
        return [Message(role=Role.SYSTEM, content=system_prompt), *history], tool_defs or None

    def parse_response(self, response):  # type: ignore[override]
        return AgentStep(reasoning=response.text, action=Clarification(question="Which order do you mean?", options=["1042", "1043"]))

    def format_tool_result(self, result):  # type: ignore[override]
        return Message(role=Role.TOOL, content=result.payload, name=result.name, call_id=result.call_id)


def usage(inp: int, out: int, cost: float | None = None, **extra: Any) -> UsageStats:
    return UsageStats(input_tokens=inp, output_tokens=out, total_tokens=inp + out, cost_usd=cost, **extra)


def call(name: str, params: dict, provider_id: str) -> ToolCall:
    return ToolCall(name=name, params=params, provider_tool_call_id=provider_id)


def agent(url: str, responses: list[LLMResponse], *, name: str = "Support", **kw: Any) -> Agent:
    kw.setdefault("tools", [lookup_order, refund_order, read_file])
    return Agent(name=name, provider=MockLLM(responses, model="mock-1"), prompt="You are a support agent.", database_url=url, **kw)


# --- scenarios: each returns {scenario name: run id} -------------------------------------------------------------------


async def server_tool_success(url: str) -> dict[str, str]:
    a = agent(url, [
        LLMResponse(tool_calls=[call("lookup_order", {"order_id": "1042"}, "toolu_1")], usage=usage(120, 30, 0.0012, cache_read_input_tokens=10, cache_creation_input_tokens=5)),
        LLMResponse(text="Order 1042 was delivered.", usage=usage(160, 12, 0.0009)),
    ])
    r = await a.run("Where is order 1042?", tenant_id="acme")
    assert r.status.value == "success", r
    await a.close()
    return {"server_tool_success": r.run_id}


async def approvals(url: str) -> dict[str, str]:
    out: dict[str, str] = {}
    a = agent(url, [
        LLMResponse(tool_calls=[call("refund_order", {"order_id": "1042", "amount": 19.99}, "toolu_2")], usage=usage(100, 20)),
        LLMResponse(text="Refunded 19.99.", usage=usage(140, 8)),
    ], require_approval=["refund_order"])
    r = await a.run("Refund order 1042.")
    assert r.status.value == "waiting_approval", r
    r = await a.submit_approval(r.run_id, approved=True)
    assert r.status.value == "success", r
    out["approval_approved"] = r.run_id
    await a.close()

    a = agent(url, [
        LLMResponse(tool_calls=[call("refund_order", {"order_id": "1043", "amount": 500.0}, "toolu_3")], usage=usage(100, 20)),
        LLMResponse(text="I could not refund it.", usage=usage(150, 9)),
    ], require_approval=["refund_order"])
    r = await a.run("Refund order 1043.")
    r = await a.submit_approval(r.run_id, approved=False, rejection_reason="Over the refund limit")
    assert r.status.value == "success", r
    out["approval_rejected"] = r.run_id
    await a.close()

    a = agent(url, [
        LLMResponse(tool_calls=[
            call("lookup_order", {"order_id": "1044"}, "toolu_4"),
            call("refund_order", {"order_id": "1044", "amount": 7.5}, "toolu_5"),
        ], usage=usage(110, 25, 0.002, reasoning_tokens=4)),
    ], require_approval=["refund_order"])
    r = await a.run("Check and refund order 1044.", metadata={"thread_id": "thread-approval"})
    assert r.status.value == "waiting_approval", r
    out["approval_waiting"] = r.run_id
    await a.close()
    return out


async def client_tools(url: str) -> dict[str, str]:
    out: dict[str, str] = {}
    a = agent(url, [LLMResponse(tool_calls=[call("read_file", {"path": "/tmp/report.csv"}, "toolu_6")], usage=usage(90, 15))])
    r = await a.run("Summarise my report.")
    assert r.status.value == "waiting_client_tool", r
    out["client_waiting"] = r.run_id
    await a.close()

    a = agent(url, [
        LLMResponse(tool_calls=[call("read_file", {"path": "/tmp/a.txt"}, "toolu_7")], usage=usage(90, 15)),
        LLMResponse(text="The file says hello.", usage=usage(130, 7)),
    ])
    r = await a.run("What does a.txt say?")
    pending = r.meta["pause_state"].pending_tool_calls[0]
    r = await a.submit_tool_results(r.run_id, [ToolResult(name="read_file", call_id=pending.id, payload=json.dumps("hello"))])
    assert r.status.value == "success", r
    out["client_resumed"] = r.run_id
    await a.close()

    a = agent(url, [LLMResponse(tool_calls=[call("read_file", {"path": "/tmp/b.txt"}, "toolu_8")], usage=usage(90, 15))])
    r = await a.run("What does b.txt say?")
    out["client_waiting_to_cancel"] = r.run_id
    await a.close()

    a = agent(url, [LLMResponse(tool_calls=[call("read_file", {"path": "/tmp/c.txt"}, "toolu_9")], usage=usage(90, 15))])
    r = await a.run("What does c.txt say?")
    r = await a.cancel_run(r.run_id)
    assert r.status.value == "cancelled", r
    out["paused_cancelled"] = r.run_id
    await a.close()
    return out


async def clarification(url: str) -> dict[str, str]:
    a = agent(url, [LLMResponse(text="I need to know which order.", usage=usage(80, 10))])
    r = await a.run("Cancel my order.", strategy=ClarifyStrategy())
    assert r.status.value == "waiting_human_input", r
    await a.close()

    a = agent(url, [LLMResponse(text="I need to know which order.", usage=usage(80, 10)), LLMResponse(text="Cancelled order 1043.", usage=usage(95, 6))])
    answered = await a.run("Cancel my other order.", strategy=ClarifyStrategy())
    answered = await a.submit_input(answered.run_id, "Order 1043, s'il vous plaît")
    assert answered.status.value == "success", answered
    await a.close()
    return {"clarification_waiting": r.run_id, "clarification_answered": answered.run_id}


async def failed(url: str) -> dict[str, str]:
    a = agent(url, [LLMResponse(tool_calls=[call("lookup_order", {"order_id": "9"}, "toolu_10")], usage=usage(50, 5))])
    try:
        await a.run("Where is order 9?")
    except IndexError:
        pass
    await a.close()
    async with RunStore.from_database_url(url) as store:
        runs = await store.list_runs(status="error", limit=1)
    return {"failed": runs[0].run_id}


async def delegation(url: str) -> dict[str, str]:
    global RESEARCHER
    RESEARCHER = agent(url, [LLMResponse(text="Mugs are popular.", usage=usage(40, 6))], name="Researcher", tools=[])
    parent = agent(url, [
        LLMResponse(tool_calls=[call("delegate_research", {"topic": "mugs"}, "toolu_11")], usage=usage(70, 12)),
        LLMResponse(text="Research says mugs are popular.", usage=usage(100, 9)),
    ], name="Coordinator", tools=[delegate_research])
    r = await parent.run("What sells?")
    assert r.status.value == "success", r
    await parent.close()
    await RESEARCHER.close()
    async with RunStore.from_database_url(url) as store:
        children = await store.list_runs(parent_run_id=r.run_id)
    return {"delegation_parent": r.run_id, "delegation_child": children[0].run_id}


async def idempotency(url: str) -> dict[str, str]:
    a = agent(url, [LLMResponse(text="Your balance is 10.", usage=usage(30, 4))])
    first = await a.run("What is my balance? (é)", idempotency_key="balance-req-1", metadata={"thread_id": "thread-idem"})
    second = await a.run("What is my balance? (é)", idempotency_key="balance-req-1", metadata={"thread_id": "thread-idem"})
    assert first.run_id == second.run_id, (first, second)
    await a.close()
    return {"idempotent": first.run_id}


async def threads(url: str) -> dict[str, str]:
    out: dict[str, str] = {}
    metas = [
        ("thread_turn_1", "Hi, I'm Zoë from Zürich.", {"thread_id": "thread-ü-1", "user_id": "user-ß", "turn": 1, "vip": True, "score": 2.5}),
        ("thread_turn_2", "Order 東京 please.", {"thread_id": "thread-ü-1", "user_id": "user-ß", "turn": 2, "vip": False, "score": 0}),
        ("thread_other", "Another thread.", {"thread_id": "thread-2", "user_id": 7, "turn": 1, "vip": True}),
    ]
    for name, text, meta in metas:
        a = agent(url, [LLMResponse(text=f"Answer: {text}", usage=usage(20, 3))])
        r = await a.run(text, metadata=meta)
        out[name] = r.run_id
        await a.close()
    return out


async def pii(url: str) -> dict[str, str]:
    a = agent(url, [
        LLMResponse(tool_calls=[call("lookup_order", {"order_id": "1042"}, "toolu_12")], usage=usage(60, 8)),
        LLMResponse(text="I emailed <<EMAIL_ADDRESS_1>> about order 1042.", usage=usage(90, 11)),
    ], guardrails=[PII()])
    r = await a.run("My email is zoe@example.com, where is order 1042?")
    assert r.status.value == "success", r
    await a.close()
    return {"pii_redacted": r.run_id}


SCENARIOS = [server_tool_success, approvals, client_tools, clarification, failed, delegation, idempotency, threads, pii]


# --- capture -----------------------------------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def capture_router(url: str, runs: dict[str, str]) -> list[dict[str, Any]]:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from dendrux.http import make_read_router

    store = RunStore.from_database_url(url)
    app = FastAPI()
    app.include_router(make_read_router(store=store, authorize=lambda: None))
    paths = [
        "/health", "/runs", "/runs?limit=3&offset=2", "/runs?status=success", "/runs?status=waiting_approval&status=waiting_client_tool",
        "/runs?agent_name=Coordinator", f"/runs?parent_run_id={runs['delegation_parent']}", "/runs?tenant_id=acme",
        "/runs?limit=0", "/runs?limit=1001", "/runs?offset=-1", "/runs?started_after=2020-01-01T00:00:00Z",
        "/runs/NOPE", "/runs/NOPE/events", "/runs/NOPE/llm-calls", "/runs/NOPE/tool-calls", "/runs/NOPE/traces", "/runs/NOPE/pauses",
    ]
    for run_id in runs.values():
        base = f"/runs/{run_id}"
        paths += [base, f"{base}/events", f"{base}/events?after=1&limit=2", f"{base}/events?after=999", f"{base}/llm-calls",
                  f"{base}/llm-calls?iteration=1", f"{base}/llm-calls?limit=1&offset=1", f"{base}/tool-calls",
                  f"{base}/tool-calls?iteration=1", f"{base}/traces", f"{base}/traces?limit=2&offset=1", f"{base}/pauses"]
    answers = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in dict.fromkeys(paths):
            res = client.get(path)
            try:
                body = res.json()
            except ValueError:
                body = res.text
            answers.append({"path": path, "status": res.status_code, "body": body})
        # The store's connections belong to the test client's event loop: close them there.
        client.portal.call(store.close)
    return answers


def capture_dashboard(url: str, runs: dict[str, str]) -> list[dict[str, Any]]:
    from fastapi.testclient import TestClient
    from sqlalchemy.ext.asyncio import create_async_engine

    from dendrux.dashboard.api import create_dashboard_api
    from dendrux.runtime.state import SQLAlchemyStateStore

    engine = create_async_engine(url)
    app = create_dashboard_api(SQLAlchemyStateStore(engine))
    paths = ["/api/health", "/api/runs", "/api/runs?limit=3&offset=2", "/api/runs?status=waiting_approval", "/api/runs?agent=Coordinator",
             "/api/runs?tenant=acme", "/api/runs/NOPE"]
    for run_id in runs.values():
        base = f"/api/runs/{run_id}"
        paths += [base, f"{base}/events", f"{base}/traces", f"{base}/tool-calls", f"{base}/llm-calls"]
    answers = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in paths:
            res = client.get(path)
            try:
                body = res.json()
            except ValueError:
                body = res.text
            answers.append({"path": path, "status": res.status_code, "body": body})
        client.portal.call(engine.dispose)
    return answers


def capture_sse(url: str, runs: dict[str, str]) -> list[dict[str, Any]]:
    """The SSE route never ends by itself: serve it on loopback with uvicorn and read a known number of frames."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn
    from fastapi import FastAPI

    from dendrux.http import make_read_router

    from contextlib import asynccontextmanager

    store = RunStore.from_database_url(url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # the store's connections live on the server's event loop: close them there
        yield
        await store.close()

    app = FastAPI(lifespan=lifespan)
    app.include_router(make_read_router(store=store, authorize=lambda: None))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    events = {name: len(asyncio.run(_count_events(url, rid))) for name, rid in runs.items()}
    requests: list[tuple[str, dict[str, str], int]] = []
    for name in ("client_resumed", "approval_approved", "pii_redacted"):
        base = f"/runs/{runs[name]}/events/stream"
        requests += [
            (base, {}, events[name]),
            (f"{base}?after=3", {}, events[name] - 4),
            (f"{base}?after=1", {"Last-Event-ID": "4"}, events[name] - 5),
            (f"{base}?after=5", {"Last-Event-ID": "junk"}, events[name] - 6),
        ]
    answers = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        missing = client.get("/runs/NOPE/events/stream")
        answers.append({"path": "/runs/NOPE/events/stream", "headers": {}, "status": missing.status_code, "body": missing.json()})
        for path, headers, count in requests:
            frames: list[str] = []
            with client.stream("GET", path, headers=headers) as res:
                buffer = ""
                for chunk in res.iter_text():
                    buffer += chunk
                    while "\n\n" in buffer and len(frames) < count:
                        frame, buffer = buffer.split("\n\n", 1)
                        frames.append(frame + "\n\n")
                    if len(frames) >= count:
                        break
                answers.append({
                    "path": path, "headers": headers, "status": res.status_code,
                    "response_headers": {k: res.headers[k] for k in ("content-type", "cache-control", "x-accel-buffering")},
                    "frames": frames,
                })
    server.should_exit = True
    thread.join()
    return answers


async def _count_events(url: str, run_id: str) -> list[Any]:
    async with RunStore.from_database_url(url) as store:
        return await store.get_events(run_id)


async def capture_store(url: str, runs: dict[str, str]) -> dict[str, Any]:
    queries: dict[str, dict[str, Any]] = {
        "thread_u1": {"thread_id": "thread-ü-1"},
        "thread_u1_turn_2": {"thread_id": "thread-ü-1", "turn": 2},
        "thread_u1_vip": {"thread_id": "thread-ü-1", "vip": True},
        "thread_2": {"thread_id": "thread-2"},
        "user_7": {"user_id": 7},
        "user_sz": {"user_id": "user-ß"},
        "score_2_5": {"score": 2.5},
        "missing": {"thread_id": "no-such-thread"},
        # Where the reference compares loosely (true = 1 on SQLite); we compare type and value on both engines.
        "turn_true": {"turn": True},
        "vip_1": {"vip": 1},
    }
    out: dict[str, Any] = {"threads": {}, "runs": {}}
    async with RunStore.from_database_url(url) as store:
        for name, flt in queries.items():
            listed = await store.list_runs(metadata_filter=flt)
            out["threads"][name] = {"filter": flt, "count": await store.count_runs(metadata_filter=flt), "items": to_json(listed)}
        for scenario, run_id in runs.items():
            out["runs"][scenario] = {
                "detail": to_json(await store.get_run(run_id)),
                "events": to_json(await store.get_events(run_id)),
                "llm_calls": to_json(await store.get_llm_calls(run_id)),
                "tool_invocations": to_json(await store.get_tool_invocations(run_id)),
                "traces": to_json(await store.get_traces(run_id)),
                "pauses": to_json(await store.get_pauses(run_id)),
                "pii_mapping": await store.get_pii_mapping(run_id),
            }
    return out


async def write_runs(url: str) -> dict[str, str]:
    runs: dict[str, str] = {}
    for scenario in SCENARIOS:
        runs.update(await scenario(url))
    return runs


def golden(kind: str, url: str, runs: dict[str, str]) -> None:
    body = {
        "reference": {"package": "dendrux", "version": "0.2.0a10", "commit": REFERENCE_COMMIT},
        "backend": kind,
        "runs": runs,
        "store": asyncio.run(capture_store(url, runs)),
        "router": capture_router(url, runs),
        "sse": capture_sse(url, runs),
        "dashboard": capture_dashboard(url, runs),
    }
    GOLDENS.mkdir(exist_ok=True)
    (GOLDENS / f"{kind}.json").write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n")


def sqlite() -> None:
    FIXTURES.mkdir(exist_ok=True)
    path = FIXTURES / "reference.db"
    path.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{path}"
    runs = asyncio.run(write_runs(url))
    golden("sqlite", url, runs)


def postgres(admin_url: str) -> None:
    name = "dx_reference_fixture"
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    libpq = re.sub(r"/[^/]*$", f"/{name}", admin_url)
    url = libpq.replace("postgresql://", "postgresql+asyncpg://", 1)
    dendrux_cli = str(Path(sys.executable).with_name("dendrux"))
    subprocess.run([dendrux_cli, "db", "migrate"], check=True, env={**os.environ, "DENDRUX_DATABASE_URL": url})
    runs = asyncio.run(write_runs(url))
    golden("postgres", url, runs)
    dump = subprocess.run(
        ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--no-comments", libpq],
        check=True, capture_output=True, text=True,
    ).stdout
    # Only SQL the pg driver can execute: drop psql meta-commands and comment lines.
    lines = [ln for ln in dump.splitlines() if not ln.startswith("\\") and not ln.startswith("--")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    header = f"-- PostgreSQL database written by the Python reference (dendrux 0.2.0a10, commit {REFERENCE_COMMIT}).\n" \
             "-- Generated by test/compat/reference/write_fixtures.py; do not edit.\n"
    (FIXTURES / "reference-postgres.sql").write_text(header + text)
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


if __name__ == "__main__":
    sqlite()
    postgres(os.environ.get("DENDRUX_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    print("fixtures written to", FIXTURES, "and", GOLDENS)
