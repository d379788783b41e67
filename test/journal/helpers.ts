/** Shared test helpers: temp dirs that clean themselves up, condition polling, in-memory journals. */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { encodeLine, GENESIS_HASH, type JournalEvent } from '../../src/journal/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cutover-journal-'));
  dirs.push(d);
  return d;
}

/** Polls `cond` until it holds; fails with `what` after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The file's lines (without the empty string after the final newline). */
export function linesOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** A valid journal's lines for these events, chained exactly as the writer would chain them. */
export function chainLines(events: JournalEvent[]): string[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const { text, hash } = encodeLine(i + 1, prev, e);
    prev = hash;
    return text;
  });
}

/** `n` plausible events: a gate decision every fifth, metric samples otherwise. */
export function sampleEvents(n: number): JournalEvent[] {
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 4
      ? { type: 'gate/decided', t: 1_700_000_000_000 + i, gate: `g${i}`, decision: 'go', reason: `error rate fine at step ${i}` }
      : { type: 'metric/sample', t: 1_700_000_000_000 + i, query: 'rate(http_errors[1m])', value: i / 7 },
  );
}
