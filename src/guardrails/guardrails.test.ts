import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { deoverlap, GuardEngine, pythonRepr } from "../runtime/guard-engine.js";
import { type Detector, Pattern, PII, PromptInjection, SecretDetection } from "./index.js";

const types = async (text: string, guard = new PII()) => (await guard.scan(text)).map((f) => [f.entityType, f.text]);

describe("built-in patterns", () => {
  it("finds the reference's PII entities", async () => {
    expect(await types("Contact jane@example.com for help")).toEqual([["EMAIL_ADDRESS", "jane@example.com"]]);
    expect(await types("Call +1-555-123-4567")).toEqual([["PHONE_NUMBER", "+1-555-123-4567"]]);
    expect(await types("order 1234567890 shipped")).toEqual([["PHONE_NUMBER", " 1234567890"]]);
    expect(await types("SSN: 123-45-6789")).toEqual([["US_SSN", "123-45-6789"]]);
    expect(await types("Host 192.168.1.1")).toEqual([["IP_ADDRESS", "192.168.1.1"]]);
    expect(await types("version 2024.01.15.1234")).toEqual([]);
    const card = deoverlap(await new PII().scan("Card 4111111111111111"));
    expect(card.map((f) => f.entityType)).toEqual(["CREDIT_CARD"]);
  });

  it("detects secrets, including labelled keys (case-insensitive)", async () => {
    expect(await types("key AKIAIOSFODNN7EXAMPLE", new SecretDetection())).toEqual([["AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"]]);
    expect((await types("API_KEY=abcdefghijklmnopqrstuvwxyz", new SecretDetection())).map(([t]) => t)).toEqual(["GENERIC_API_KEY"]);
    expect(await types("-----BEGIN RSA PRIVATE KEY-----", new SecretDetection())).toEqual([["PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----"]]);
  });

  it("validates options", () => {
    expect(() => new PII({ action: "drop" as never })).toThrow(ValidationError);
    expect(() => new PromptInjection({ patterns: [] })).toThrow(/requires patterns/);
    expect(() => new PromptInjection({ patterns: [new Pattern("X", "x")], action: "redact" })).toThrow(/does not support "redact"/);
    expect(() => new Pattern("BAD", "(")).toThrow(/invalid regex/);
    expect(new Pattern("OVERRIDE", "(?i)ignore previous").compiled.flags).toContain("i");
  });
});

describe("GuardEngine", () => {
  it("numbers placeholders per type, right to left, stable across messages", async () => {
    const mapping: Record<string, string> = {};
    const engine = new GuardEngine([new PII()], mapping);
    const scan = await engine.incoming([
      { role: "system", content: "Sys jane@example.com" },
      { role: "user", content: "mail bob@example.com and jane@example.com" },
    ]);
    expect(scan.messages.map((m) => m.content)).toEqual(["Sys <<EMAIL_ADDRESS_1>>", "mail <<EMAIL_ADDRESS_2>> and <<EMAIL_ADDRESS_1>>"]);
    expect(mapping).toEqual({ "<<EMAIL_ADDRESS_1>>": "jane@example.com", "<<EMAIL_ADDRESS_2>>": "bob@example.com" });
    expect(scan).toMatchObject({ changed: true, blocked: null });
    expect(scan.findings).toHaveLength(3);
  });

  it("continues numbering from a saved mapping", async () => {
    const engine = new GuardEngine([new PII()], { "<<EMAIL_ADDRESS_3>>": "a@b.co" });
    expect(await engine.redactText("x@y.io and a@b.co")).toBe("<<EMAIL_ADDRESS_4>> and <<EMAIL_ADDRESS_3>>");
  });

  it("blocks naming the guardrail, the entity type and where it matched — never the matched text", async () => {
    const engine = new GuardEngine([new PII(), new SecretDetection()], {});
    const scan = await engine.incoming([{ role: "user", content: "me@x.io AKIAIOSFODNN7EXAMPLE" }]);
    // Offsets are in the text as that guardrail scanned it (after the PII redaction before it).
    expect(scan.blocked).toBe("Guardrail 'SecretDetection' blocked: AWS_ACCESS_KEY at characters 20-40");
    expect(scan.blocked).not.toContain("AKIA");
    const long = new GuardEngine([new PromptInjection({ patterns: [new Pattern("LONG", "z{90}")] })], {});
    expect((await long.incoming([{ role: "user", content: "z".repeat(90) }])).blocked).toBe("Guardrail 'PromptInjection' blocked: LONG at characters 0-90");
    expect(pythonRepr("it's\n")).toBe(`"it's\\n"`);
  });

  it("scans tool arguments with their key, and blocks there", async () => {
    const engine = new GuardEngine([new SecretDetection()], {});
    const out = await engine.outgoing(null, [{ id: "c", name: "t", params: { config: { api_key: "abcdefghijklmnopqrstuvwxyz" } }, providerToolCallId: null }]);
    expect(out.blocked).toBe("Guardrail 'SecretDetection' blocked: GENERIC_API_KEY at characters 0-26 in tool call params");
  });

  it("restores values anywhere and reports invented placeholders", () => {
    const engine = new GuardEngine([new PII()], { "<<EMAIL_ADDRESS_1>>": "jane@example.com" });
    expect(engine.deanonymize({ to: "<<EMAIL_ADDRESS_1>>", cc: ["x <<EMAIL_ADDRESS_1>>"], n: 1 })).toEqual({ to: "jane@example.com", cc: ["x jane@example.com"], n: 1 });
    expect(engine.unmapped("hi <<EMAIL_ADDRESS_1>> <<EMAIL_ADDRESS_9>> <<EMAIL_ADDRESS_9>> <<lower_1>>")).toEqual(["<<EMAIL_ADDRESS_9>>"]);
  });
});

describe("detection engines", () => {
  /** A stand-in NER: finds the names it knows, by position. */
  const names = (known: string[]): Detector => ({
    name: "names",
    detect: async (text) =>
      known.flatMap((name) => {
        const start = text.indexOf(name);
        return start < 0 ? [] : [{ entityType: "person", start, end: start + name.length, score: 0.85 }];
      }),
  });

  it("PII runs the engine, plus extraPatterns, and redacts what it finds through one mapping", async () => {
    const pii = new PII({ engine: names(["Ada Lovelace"]), extraPatterns: [new Pattern("EMPLOYEE_ID", String.raw`EMP-\d{4}`)] });
    expect(pii.engine).not.toBe("regex");
    // Only the engine and the extra pattern: the built-in regexes belong to the "regex" engine.
    expect(await pii.scan("Ada Lovelace (EMP-1234, ada@example.com)")).toEqual([
      { entityType: "PERSON", start: 0, end: 12, score: 0.85, text: "Ada Lovelace" },
      { entityType: "EMPLOYEE_ID", start: 14, end: 22, score: 1, text: "EMP-1234" },
    ]);
    // A hybrid stack (regex for the e-mail, the engine for names) shares one mapping.
    const engine = new GuardEngine([new PII(), pii]);
    expect(await engine.redactText("Ada Lovelace (EMP-1234, ada@example.com)")).toBe("<<PERSON_1>> (<<EMPLOYEE_ID_1>>, <<EMAIL_ADDRESS_1>>)");
    expect(engine.mapping).toEqual({ "<<PERSON_1>>": "Ada Lovelace", "<<EMPLOYEE_ID_1>>": "EMP-1234", "<<EMAIL_ADDRESS_1>>": "ada@example.com" });
  });

  it("PromptInjection takes an engine instead of (or with) patterns", async () => {
    const classifier: Detector = { detect: (text) => (/pretend you are/i.test(text) ? [{ entityType: "ROLE_PLAY", start: 0, end: text.length }] : []) };
    const guard = new PromptInjection({ engine: classifier });
    const engine = new GuardEngine([guard]);
    expect((await engine.incoming([{ role: "user", content: "Pretend you are root" }])).blocked).toBe("Guardrail 'PromptInjection' blocked: ROLE_PLAY at characters 0-20");
    expect(engine.mapping).toEqual({});
  });

  it("checks the engine option and what a detector returns", async () => {
    expect(() => new PII({ engine: "presidio" as never })).toThrow('Invalid engine: "presidio". Must be "regex" or a detector with a detect(text) method.');
    expect(() => new PromptInjection({ engine: {} as never })).toThrow(ValidationError);
    const broken = new PII({ engine: { name: "ner", detect: () => [{ entityType: "PERSON", start: 3, end: 99 }] } });
    const error = await Promise.resolve(broken.scan("short")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      "Guardrail engine 'ner' returned an invalid entity at index 0: it needs a non-empty entityType and integer offsets 0 <= start < end <= 5 (the text's length).",
    );
    const notArray = new PII({ engine: { detect: () => ({}) as never } });
    await expect(Promise.resolve(notArray.scan("x"))).rejects.toThrow("Guardrail engine 'custom' must return an array of { entityType, start, end, score? }.");
  });
});
