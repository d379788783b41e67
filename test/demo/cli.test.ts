// `cutover demo`'s command line: help, usage mistakes (64), a runbook that does not load (65,
// located problems), and nothing left behind by any of them.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/io.js';
import { tempDir } from '../support/sshd.js';

describe('cutover demo: command line', () => {
  const dir = tempDir('cutover-demo-cli-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('documents its options and the default runbook', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/usage: cutover demo \[--runbook FILE\] \[--scenario degrade\|healthy\] \[--time-scale N\]/);
    expect(io.stdout()).toMatch(/blue-green-gates\.yaml/);
    expect(io.stdout()).not.toMatch(/not built yet/);
  });

  it.each([
    [['--scenario', 'chaos'], /--scenario is degrade or healthy, not 'chaos'/],
    [['--time-scale', '0'], /--time-scale is a number from 1 \(real time\) to 1000, not '0'/],
    [['--metrics', 'graphite'], /--metrics is auto, prometheus, simulated, not 'graphite'/],
    [['extra.yaml'], /unexpected argument 'extra\.yaml'/],
    [['--bogus'], /demo: Unknown option '--bogus'/],
  ])('refuses %j with a one-line hint (64)', async (args, msg) => {
    const io = captureIo();
    expect(await runCli(['demo', ...args], io)).toBe(64);
    expect(io.stderr()).toMatch(msg);
    expect(io.stderr().trim().split('\n')).toHaveLength(1);
  });

  it('names the file, line and problem of a runbook that does not load (65), and starts nothing', async () => {
    mkdirSync(join(dir, 'tmp'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: broken\nphases:\n  - { id: p, title: P, steps: [{ id: s, title: S, wait: 5 }] }\n');
    const io = captureIo({ ...process.env, TMPDIR: join(dir, 'tmp') });
    expect(await runCli(['demo', '--runbook', bad], io)).toBe(65);
    expect(io.stderr()).toMatch(new RegExp(`${bad.replace(/[.]/g, '\\.')}:3:\\d+: wait 5 has no unit`));
    const io2 = captureIo({ ...process.env, TMPDIR: join(dir, 'tmp') });
    expect(await runCli(['demo', '--runbook', join(dir, 'missing.yaml')], io2)).toBe(65);
    expect(io2.stderr()).toMatch(/missing\.yaml: no such file; check the path/);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });
});
