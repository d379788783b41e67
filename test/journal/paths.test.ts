import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDecision, journalFileName, newJournalPath, sessionsDir, slugify } from '../../src/journal/index.js';
import { tempDir } from './helpers.js';

describe('sessionsDir', () => {
  it('uses XDG_STATE_HOME when it is absolute', () => {
    expect(sessionsDir({ XDG_STATE_HOME: '/var/state', HOME: '/home/op' })).toBe('/var/state/cutover/sessions');
  });
  it('falls back to HOME, ignoring a relative XDG_STATE_HOME as the spec says', () => {
    expect(sessionsDir({ XDG_STATE_HOME: 'rel/state', HOME: '/home/op' })).toBe('/home/op/.local/state/cutover/sessions');
    expect(sessionsDir({})).toBe(join(homedir(), '.local/state/cutover/sessions'));
  });
});

describe('journal file names', () => {
  it('are a UTC stamp without colons, then the slugged runbook name', () => {
    expect(journalFileName('checkout-api v2.1.0', new Date('2026-11-21T23:40:05.123Z'))).toBe(
      '2026-11-21T23-40-05Z-checkout-api-v2-1-0.jsonl',
    );
  });
  it.each([
    ['  Checkout API (prod!) ', 'checkout-api-prod'],
    ['Zürich façade', 'zurich-facade'],
    ['日本', 'session'],
    [`${'a'.repeat(39)}-bbbb`, 'a'.repeat(39)],
    ['x'.repeat(100), 'x'.repeat(40)],
  ])('slug %j is %j', (name, slug) => expect(slugify(name)).toBe(slug));

  it('newJournalPath creates the directory tree with mode 0700', async () => {
    const dir = join(tempDir(), 'state', 'cutover', 'sessions');
    const p = await newJournalPath(dir, 'checkout', new Date('2026-01-02T03:04:05Z'));
    expect(p).toBe(join(dir, '2026-01-02T03-04-05Z-checkout.jsonl'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(dir)).mode & 0o777).toBe(0o700);
  });
});

describe('isDecision', () => {
  it.each([
    ['session/started', true],
    ['session/resumed', true],
    ['session/ended', true],
    ['gate/decided', true],
    ['step/skipped', true],
    ['note/added', true],
    ['rollback/confirmed', true],
    ['rollback/anything-new', true],
    ['metric/sample', false],
    ['command/output', false],
    ['gate/opened', false],
    ['rollbackish/x', false],
  ])('%s → %s', (type, expected) => expect(isDecision(type)).toBe(expected));
});
