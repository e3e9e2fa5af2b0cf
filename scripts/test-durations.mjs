#!/usr/bin/env node
// Writes scripts/test-durations.json (seconds per test file, the order vitest starts files in:
// scripts/vitest-order.ts) from a vitest JSON report:
//   npx vitest run --reporter=json --outputFile.json=/tmp/vitest.json
//   node scripts/test-durations.mjs /tmp/vitest.json
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-durations.mjs VITEST_JSON_REPORT');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const rows = testResults
  .map((f) => [relative(root, f.name), Math.round((f.endTime - f.startTime) / 100) / 10])
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const out = fileURLToPath(new URL('./test-durations.json', import.meta.url));
writeFileSync(out, JSON.stringify(Object.fromEntries(rows), null, 1) + '\n');
console.log(`${out}: ${rows.length} files, ${rows.reduce((s, r) => s + r[1], 0).toFixed(1)} s in all`);
