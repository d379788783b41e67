import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { JournalWriter } from '../../src/journal/index.js';
import { captureIo } from '../support/io.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function journal(name: string): Promise<string> {
  const path = join(dir, name);
  const w = await JournalWriter.create(path);
  for (let i = 0; i < 5; i++) await w.append({ type: 'note/added', t: 1000 + i, operator: 'alice', text: `note ${i}` });
  await w.close();
  return path;
}

describe('cutover verify', () => {
  it('exit 0 for an intact journal', async () => {
    const io = captureIo();
    expect(await runCli(['verify', await journal('ok.jsonl')], io)).toBe(0);
    expect(io.stdout()).toMatch(/intact, 5 events/);
  });

  it('exit 1 naming the first edited line', async () => {
    const path = await journal('edited.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').replace('note 2', 'note X'));
    const io = captureIo();
    expect(await runCli(['verify', path], io)).toBe(1);
    expect(io.stdout()).toMatch(new RegExp(`^${path}:3: edited: `));
  });

  it('a missing journal is one clear line, exit 1', async () => {
    const io = captureIo();
    expect(await runCli(['verify', join(dir, 'nope.jsonl')], io)).toBe(1);
    expect(io.stderr()).toMatch(/no such file/);
  });
});
