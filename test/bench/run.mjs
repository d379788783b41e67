#!/usr/bin/env node
// Runs every benchmark in test/bench (files named *.bench.mjs), one after another, so they do
// not compete for the two cores. Benchmarks import the compiled code from dist/ (npm run build).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, [join(here, f)], { stdio: 'inherit', env: { NODE_ENV: 'production', ...process.env } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
