// Writing the SQL pack's parameters in as literals (for DuckDB-Wasm, whose statements are positional).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlStatements, sqlWithLiterals } from '../../src/core/sql-params.js';

test('parameters become typed literals; longer names first; quotes doubled; NULL keeps its type', () => {
  const sql = 'SELECT $from, $from_ms, $bins, $keys, $tz, $none';
  const out = sqlWithLiterals(sql, { from: '2024-01-01', from_ms: 1.5, bins: null, keys: ["a'b", 'c'], tz: "O'Higgins", none: [] });
  assert.equal(
    out,
    "SELECT CAST('2024-01-01' AS VARCHAR), CAST(1.5 AS DOUBLE), CAST(NULL AS INTEGER), ['a''b', 'c']::VARCHAR[], CAST('O''Higgins' AS VARCHAR), CAST([] AS VARCHAR[])",
  );
});

test('statements split at semicolons that end a line; whole comment lines dropped, trailing ones kept', () => {
  assert.deepEqual(sqlStatements("-- header\nSELECT 1;\nSELECT ';' -- not the end\n;\n\n"), ['SELECT 1', "SELECT ';' -- not the end"]);
});
