/**
 * Kills a real writer process with SIGKILL mid-stream. The child runs the compiled journal (dist/,
 * built before the suite by test/global-setup.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JournalWriter, readJournal, verifyChain } from '../../src/journal/index.js';
import { tempDir, until } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
let build: string;

const CHILD = `
import fs from 'node:fs';
import { JournalWriter } from '${pathToFileURL(join(root, 'dist/journal/writer.js')).href}';
const [journal, acks] = process.argv.slice(2);
const ackFd = fs.openSync(acks, 'a');
const ack = ({ seq }) => fs.writeSync(ackFd, seq + '\\n');
const die = (e) => { console.error(e); process.exit(1); };
const w = await JournalWriter.create(journal);
// Bounded, so a child the parent failed to kill does not run forever.
for (let i = 0; i < 300000; i++) {
  const decision = i % 7 === 0;
  const p = w.append(decision
    ? { type: 'gate/decided', t: Date.now(), i, reason: 'looks fine '.repeat(i % 40) }
    : { type: 'metric/sample', t: Date.now(), i, value: Math.random(), pad: 'x'.repeat(i % 300) });
  p.then(ack, die);
  if (decision) await p;
}
`;

beforeAll(() => {
  build = mkdtempSync(join(tmpdir(), 'cutover-journal-child-'));
  writeFileSync(join(build, 'child.mjs'), CHILD);
});

afterAll(() => rmSync(build, { recursive: true, force: true }));

const acked = (file: string): number[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1).map(Number) : []);

describe('a writer killed with SIGKILL', () => {
  it.each([300, 2000])(
    'loses no acknowledged event and leaves a valid chain (after %i acks)',
    async (threshold) => {
      const dir = tempDir();
      const journal = join(dir, 'j.jsonl');
      const acks = join(dir, 'acks');
      const child = spawn(process.execPath, [join(build, 'child.mjs'), journal, acks], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      let exit: string | undefined;
      child.on('exit', (code, signal) => (exit = signal ?? `code ${code}: ${stderr}`));
      await until(() => exit !== undefined || acked(acks).length >= threshold, `${threshold} acks`, 30_000);
      expect(exit).toBeUndefined(); // the child must still be mid-stream when killed
      child.kill('SIGKILL');
      await until(() => exit !== undefined, 'the child to die');
      expect(exit).toBe('SIGKILL');

      const seen = acked(acks);
      const read = readJournal(journal);
      const seqs = read.entries.map((e) => e.seq);
      expect(read.problems).toEqual([]);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.length).toBeGreaterThanOrEqual(Math.max(...seen));
      expect(verifyChain(journal)).toMatchObject({ ok: true, lines: seqs.length });

      // Resuming after the crash continues the same chain.
      const w = await JournalWriter.openForAppend(journal);
      await w.append({ type: 'session/resumed', t: Date.now() });
      await w.close();
      expect(verifyChain(journal)).toEqual({ ok: true, lines: seqs.length + 1, torn: false });
    },
    60_000,
  );
});
