#!/usr/bin/env node
// Runs every benchmark in test/bench (files named *.bench.mjs), one after another, so they do
// not compete for the two cores. Benchmarks import the compiled code from dist/ (npm run build).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleFlags } from './term.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
// The console's own V8 flags (bin/cutover's first line): the benchmarks that run the console in-process measure what an operator runs.
const flags = consoleFlags();
console.log(`Node ${process.version}; V8 flags of bin/cutover: ${flags.join(' ') || 'none'}`);
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, [...flags, join(here, f)], { stdio: 'inherit', env: { NODE_ENV: 'production', ...process.env } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
