/**
 * The body of one read thread, as source text: run with `eval` so it needs no
 * file of its own beside the compiled package (or a TypeScript loader in
 * development). It opens the SQLite file given in `workerData`, applies the
 * same pragmas as the main connection plus `query_only`, and answers
 * `{ id, sql, parameters }` messages with `{ id, rows }` or `{ id, error }`.
 * Prepared statements are cached per SQL text (bounded).
 */
export const SQLITE_READ_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, workerData.readOnly ? { readonly: true, fileMustExist: true } : { fileMustExist: true });
for (const pragma of workerData.pragmas) db.pragma(pragma);
db.pragma("query_only = ON");
const statements = new Map();
const MAX_STATEMENTS = 200;
function prepared(sql) {
  let statement = statements.get(sql);
  if (statement === undefined) {
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value);
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const statement = prepared(message.sql);
    if (statement.reader) {
      parentPort.postMessage({ id: message.id, rows: statement.all(message.parameters) });
    } else {
      const result = statement.run(message.parameters);
      parentPort.postMessage({ id: message.id, rows: [], changes: result.changes });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message), code: error && error.code, name: error && error.name } });
  }
});
`;
