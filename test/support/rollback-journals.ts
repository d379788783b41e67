/**
 * Variants of fixtures/sessions/checkout-rolled-back.jsonl for the outcome readers (`sessions`,
 * the report): the same session, with its rollback aborted, or cut short by a crash.
 */
import { readFileSync } from 'node:fs';
import { encodeLine, GENESIS_HASH } from '../../src/journal/index.js';

type Raw = { type: string; t: number } & Record<string, unknown>;

const SOURCE = 'fixtures/sessions/checkout-rolled-back.jsonl';

/** The source's events, without seq and hash. */
function events(): Raw[] {
  return readFileSync(SOURCE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const { seq: _s, hash: _h, ...e } = JSON.parse(l) as Raw;
      return e as Raw;
    });
}

/** Events as journal text, re-chained. */
export function chain(list: Raw[]): string {
  let prev = GENESIS_HASH;
  return list
    .map((e, i) => {
      const l = encodeLine(i + 1, prev, e);
      prev = l.hash;
      return `${l.text}\n`;
    })
    .join('');
}

/** Up to the second rollback step's command starting (event 69); `t` of that moment. */
function untilConfirmStarts(): { head: Raw[]; t: number } {
  const all = events();
  const i = all.findIndex((e) => e.type === 'command/started' && e.step === 'confirm');
  return { head: all.slice(0, i + 1), t: all[i].t };
}

/** As a version before the rollback outcomes wrote it, had alice aborted the rollback: `rolled-back`. */
export function abortedRecordedAsRolledBack(): string {
  const { head, t } = untilConfirmStarts();
  const cmd = 'confirm#1@local';
  return chain([
    ...head,
    { type: 'rollback/aborted', t: t + 1000, level: 'traffic', operator: 'alice', reason: 'green is not ready' },
    { type: 'command/exited', t: t + 1000, cmd, host: 'local', code: null, error: 'cancelled', ms: 1000 },
    { type: 'rollback/step', t: t + 1000, level: 'traffic', step: 'confirm', status: 'failed', error: 'cancelled' },
    { type: 'rollback/finished', t: t + 1000, level: 'traffic', ok: false, ms: 5000 },
    { type: 'session/ended', t: t + 20_000, outcome: 'rolled-back', reason: 'errors on blue after the 50% shift' },
  ]);
}

/** The console crashed while the rollback's second step ran (no end); `padding` notes of 80 characters before the rollback. */
export function crashedMidRollback(padding = 0): string {
  const { head } = untilConfirmStarts();
  const i = head.findIndex((e) => e.type === 'rollback/confirmed');
  const notes = Array.from({ length: padding }, (_, n) => ({
    type: 'note/added',
    t: head[i - 1].t,
    operator: 'alice',
    text: `note ${n} `.padEnd(80, '.'),
  }));
  return chain([...head.slice(0, i), ...notes, ...head.slice(i)]);
}
