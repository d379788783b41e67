// `cutover verify` through the CLI on a recorded session journal: intact, then each of the four
// tamperings an attacker (or a careless editor) could make, reported at the first bad line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { encodeLine } from '../../src/journal/index.js';
import { captureIo } from '../support/io.js';

const SOURCE = 'fixtures/sessions/checkout-rolled-back.jsonl';
const dir = mkdtempSync(join(tmpdir(), 'cutover-tamper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const original = readFileSync(SOURCE, 'utf8').split('\n').filter(Boolean);

async function verify(name: string, lines: string[]): Promise<{ code: number; out: string; path: string }> {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  const io = captureIo();
  const code = await runCli(['verify', path], io);
  return { code, out: io.stdout() + io.stderr(), path };
}

describe('cutover verify on a recorded journal', () => {
  it('exit 0 when intact', async () => {
    const r = await verify('intact.jsonl', original);
    expect(r.code).toBe(0);
    // Recorded before head anchors existed: intact, with a note that the head layer could not be checked.
    expect(r.out).toBe(
      `${r.path}: intact, ${original.length} events\n  chain: ${original.length} lines chained\nnote: ${r.path}.head: no head anchor (journal written before anchors, or the sidecar was removed): lines cut off the end or a recomputed chain would go unnoticed\n`,
    );
  });

  it('edited: a gate reason rewritten after the fact', async () => {
    const at = original.findIndex((l) => l.includes('"gate/decided"'));
    const lines = [...original];
    lines[at] = lines[at].replace('backup verified, green healthy', 'all fine, nothing to see');
    const r = await verify('edited.jsonl', lines);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${r.path}:${at + 1}: edited: seq ${at + 1} does not match its hash`));
  });

  it('dropped: the trigger that fired is deleted', async () => {
    const at = original.findIndex((l) => l.includes('"trigger/firing"'));
    const lines = original.filter((_, i) => i !== at);
    const r = await verify('dropped.jsonl', lines);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${r.path}:${at + 1}: dropped: seq ${at + 1} is missing before this line`));
  });

  it('inserted: a forged note slipped in, with a plausible seq and a well-formed hash', async () => {
    const at = 40;
    const prevHash = JSON.parse(original[at - 1]).hash as string;
    const forged = encodeLine(at + 1, prevHash, {
      type: 'note/added',
      t: JSON.parse(original[at - 1]).t,
      operator: 'alice',
      text: 'all good, I checked',
    }).text;
    const lines = [...original.slice(0, at), forged, ...original.slice(at)];
    const r = await verify('inserted.jsonl', lines);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${r.path}:${at + 1}: inserted: `));
  });

  it('reordered: the rollback confirmation moved before the recommendation', async () => {
    const rec = original.findIndex((l) => l.includes('"rollback/recommended"'));
    const conf = original.findIndex((l) => l.includes('"rollback/confirmed"'));
    const lines = [...original];
    const [moved] = lines.splice(conf, 1);
    lines.splice(rec, 0, moved);
    const r = await verify('reordered.jsonl', lines);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${r.path}:${rec + 1}: reordered: seq ${conf + 1} is out of order`));
  });
});
