// The CLI skeleton: help, version, every command listed, usage mistakes exit 64 with one line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { captureIo } from '../support/io.js';

const DESIGN_COMMANDS = [
  'run',
  'demo',
  'replay',
  'report',
  'validate',
  'schema',
  'health',
  'judge',
  'exec',
  'sessions',
  'verify',
  'mark',
  'follow',
];

describe('cutover (in-process)', () => {
  it('--help lists every command of the design', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const c of DESIGN_COMMANDS) expect(io.stdout()).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(COMMANDS.map((c) => c.name).sort()).toEqual([...DESIGN_COMMANDS].sort());
  });

  it('--version prints the package version', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^cutover \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frob'], /unknown option '--frob'/],
    [['validate'], /name at least one runbook file/],
    [['validate', '--strict', 'x.yaml'], /unknown option '--strict'/],
    [['schema', 'extra'], /takes no arguments/],
  ])('%j is a usage mistake: exit 64, one line', async (argv, msg) => {
    const io = captureIo();
    expect(await runCli(argv as string[], io)).toBe(64);
    expect(io.stderr()).toMatch(msg);
    expect(io.stderr().trimEnd().split('\n')).toHaveLength(1);
  });

  it('every command has --help', async () => {
    for (const c of DESIGN_COMMANDS) {
      const io = captureIo();
      expect(await runCli([c, '--help'], io)).toBe(0);
      expect(io.stdout()).toMatch(new RegExp(`^usage: cutover ${c}`));
    }
  });

  it('validate: exit 0 for valid files, 1 and FILE:LINE:COL lines otherwise', async () => {
    // The two reference runbooks use ${TENANT} and ${PROM_TOKEN}: validate checks they are set.
    const ok = captureIo({ TENANT: 'team-a', PROM_TOKEN: 'token' });
    expect(await runCli(['validate', 'fixtures/runbooks/blue-green.yaml', 'fixtures/runbooks/canary.yaml'], ok)).toBe(0);
    const bad = captureIo();
    expect(
      await runCli(['validate', 'fixtures/runbooks/small.yaml', 'fixtures/runbooks/broken/unknown-level.yaml', 'missing.yaml'], bad),
    ).toBe(1);
    expect(bad.stdout().split('\n').filter(Boolean)).toEqual([
      'fixtures/runbooks/small.yaml: ok',
      "fixtures/runbooks/broken/unknown-level.yaml:56:18: unknown rollback level 'code' (known: traffic)",
      'missing.yaml: no such file; check the path',
    ]);
  });

  it('schema prints a JSON Schema that knows the runbook fields', async () => {
    const io = captureIo();
    expect(await runCli(['schema'], io)).toBe(0);
    const schema = JSON.parse(io.stdout());
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'phases']));
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['prometheus', 'ssh', 'hosts', 'health', 'phases', 'rollback', 'redact']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('bin/cutover (the built launcher)', () => {
  const built = existsSync('dist/cli/main.js');
  it.skipIf(!built && !process.env.CI)('runs, and never prints a stack trace for bad input', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/cutover', 'validate', 'fixtures/runbooks/broken/alias-bomb.yaml', 'fixtures/runbooks/broken/binary.yaml'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const u = spawnSync(process.execPath, ['bin/cutover', 'nope'], { encoding: 'utf8' });
    expect(u.status).toBe(64);
  });
});
