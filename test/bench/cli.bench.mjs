// Whole-process start-up budgets (bin/cutover run as a shell runs it: its shebang's node and V8 flags) (DESIGN.md §5, issue 2): `cutover --help` under 100 ms (issue 15),
// `cutover validate` of a 200-line runbook under 300 ms, on this machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const bin = new URL('../../bin/cutover', import.meta.url).pathname;

function time(args) {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    // The runbook is built from blue-green.yaml, which reads ${TENANT}: validate checks it is set.
    const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, TENANT: 'bench' } });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`cutover ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p95: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))] };
}

// A 200-line runbook: the full example of DESIGN.md plus phases until it reaches 200 lines.
const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
const base = readFileSync(new URL('../../fixtures/runbooks/blue-green.yaml', import.meta.url), 'utf8');
const [head, tail] = base.split('rollback:\n');
let extra = '';
for (let i = 0; (head + extra + tail).split('\n').length < 200; i++)
  extra += `  - id: extra-${i}\n    title: Extra phase ${i}\n    planned: 1m\n    steps:\n      - { id: x${i}a, title: Check ${i}, expect: { panel: error_rate, check: "< 0.01" } }\n      - { id: x${i}b, title: Run ${i}, run: { on: blue, command: "true", batch: "50%" } }\n`;
const file = join(dir, 'runbook-200.yaml');
const text = `${head + extra}rollback:\n${tail}`;
writeFileSync(file, text);

const help = time(['--help']);
const validate = time(['validate', file]);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
const fmt = (r) => `p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms`;
console.log(`cutover --help                        ${fmt(help)}   (budget 100 ms) ${help.p95 < 100 ? 'OK' : 'OVER'}`);
console.log(
  `cutover validate (${text.split('\n').length}-line runbook)  ${fmt(validate)}   (budget 300 ms) ${validate.p95 < 300 ? 'OK' : 'OVER'}`,
);
