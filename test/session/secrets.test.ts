// Secrets never reach the journal: given a live session whose runbook lists a secret, uses another
// as a Prometheus header, and has literal tokens in its commands, when its local steps print them
// (the environment is inherited) or fail on them, and a note, a server error or an alert holds
// them, then no byte of the journal file holds any of them, line 1 (the runbook copy) included;
// the commands ran as written; replay reads it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter } from '../../src/journal/index.js';
import { checkEvent } from '../../src/replay/validate.js';
import { JournaledRunbook } from '../../src/replay/runbook-shape.js';
import { openReplay } from '../../src/replay/open.js';
import { loadRunbookText, type Runbook } from '../../src/runbook/index.js';
import { execDriverExecutors } from '../../src/session/exec-adapter.js';
import { journaledRunbook, redactRunbook } from '../../src/session/journaled-runbook.js';
import { Redactor } from '../../src/drivers/exec/redact.js';
import { Session } from '../../src/session/session.js';
import { tempDir } from '../journal/helpers.js';

const DEPLOY = 'dpl-7Hq2xV9kLmN4pR8s';
const APIKEY = 'key-Wz3Yb6Tc1Ud5Ve0f';
const GHP = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const AKIA = 'AKIAIOSFODNN7EXAMPLE';
const HUNTER = 'hunter2';

const yaml = `name: secrets ${GHP}
description: "credentials for ops: password=${HUNTER}"
prometheus:
  url: http://127.0.0.1:9
  headers: { X-Api-Key: "\${CUTOVER_T_APIKEY}" }
secrets: [CUTOVER_T_DEPLOY]
redact: ['password=\\S+']
health:
  - { id: p, title: Up, query: up }
phases:
  - id: one
    title: One
    steps:
      - { id: echo, title: "Echo with ${APIKEY}", local: { command: 'echo "deploy=$CUTOVER_T_DEPLOY key=$CUTOVER_T_APIKEY"', shell: true } }
      - { id: literal, title: Literal, local: { command: "printf %s ${GHP} | wc -c; echo ${AKIA} password=${HUNTER}", shell: true } }
      - { id: missing, title: Missing, local: { command: ["/nonexistent/${DEPLOY}"] } }
rollback:
  levels:
    - id: back
      title: Back
      steps:
        - { id: undo, title: Undo, local: { command: "echo undo ${DEPLOY} $(printf %s ${DEPLOY} | wc -c)", shell: true } }
`;

const SECRETS = [DEPLOY, APIKEY, GHP, AKIA, HUNTER];

describe('secrets in a live session', () => {
  const saved = { ...process.env };
  let rb: Runbook;
  beforeAll(() => {
    // Local commands inherit cutover's own environment: that is how `echo $TOKEN` sees the value.
    process.env.CUTOVER_T_DEPLOY = DEPLOY;
    process.env.CUTOVER_T_APIKEY = APIKEY;
    const loaded = loadRunbookText('rb.yaml', yaml, process.env);
    expect(loaded.problems).toEqual([]);
    rb = loaded.runbook!;
  });
  afterAll(() => {
    delete process.env.CUTOVER_T_DEPLOY;
    delete process.env.CUTOVER_T_APIKEY;
    expect(process.env).toEqual(saved);
  });

  it('the journaled runbook copy is redacted everywhere but its ids, and replay accepts it', () => {
    const copy = journaledRunbook(rb, process.env);
    const text = JSON.stringify(copy);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(copy.phases[0].steps.map((s) => s.id)).toEqual(['echo', 'literal', 'missing']);
    expect(copy.description).toBe('credentials for ops: [REDACTED]');
    expect(copy.secrets).toEqual(['CUTOVER_T_DEPLOY']);
    expect(JournaledRunbook.safeParse(copy).success).toBe(true);
    // The runbook itself is untouched: it is what runs.
    expect(JSON.stringify(rb)).toContain(GHP);
  });

  it('keeps ids, references, enums and host names even when a pattern matches them (events and replay match on them)', () => {
    const all = loadRunbookText(
      'ids.yaml',
      `name: ids
prometheus: { url: "http://127.0.0.1:9" }
hosts: { web: [web1.internal] }
health: [{ id: errs, title: errs, query: up, unit: ratio }]
phases:
  - id: one
    title: one
    steps:
      - { id: ship, title: ship, run: { on: web, command: ship web1.internal } }
      - { id: check, title: check, expect: { panel: errs, check: "< 0.5" } }
rollback:
  levels: [{ id: back, title: back, steps: [{ id: undo, title: undo, manual: true }] }]
  triggers: [{ id: hot, when: "errs > 0.9", severity: critical, recommend: back }]
`,
      null,
    ).runbook!;
    const copy = redactRunbook(all, new Redactor(['ids|errs|ratio|web1?|one|ship|check|back|undo|hot|critical']));
    expect(copy.name).toBe('[REDACTED]');
    expect(copy.phases[0].steps[0]).toMatchObject({
      id: 'ship',
      title: '[REDACTED]',
      run: { on: 'web', command: '[REDACTED] [REDACTED].internal' },
    });
    expect(copy.phases[0].steps[1]).toMatchObject({ id: 'check', expect: { panel: 'errs' } });
    expect(copy.health?.[0]).toMatchObject({ id: 'errs', unit: 'ratio' });
    expect(copy.hosts).toEqual(all.hosts);
    expect(copy.rollback?.levels[0]).toMatchObject({ id: 'back', steps: [{ id: 'undo' }] });
    expect(copy.rollback?.triggers?.[0]).toMatchObject({ id: 'hot', severity: 'critical', recommend: 'back', when: { panel: 'errs' } });
    expect(JournaledRunbook.safeParse(copy).success).toBe(true);
  });

  it('leaves no secret in the journal file, runs the commands as written, and replays', async () => {
    const path = join(tempDir(), 'j.jsonl');
    const session = new Session({
      runbook: rb,
      runbookPath: 'rb.yaml',
      runbookSha256: '0'.repeat(64),
      operator: 'alice',
      mode: 'live',
      version: 't',
      journal: await JournalWriter.create<SessionEvent>(path),
      executors: execDriverExecutors(rb, { env: process.env }),
      env: process.env,
      publishMs: 1,
    });
    await session.start();
    for (const step of ['echo', 'literal', 'missing']) {
      expect(session.act(step)).toBeUndefined();
      await expect.poll(() => session.state.steps[step]?.status).toMatch(/passed|failed/);
    }
    // Text from outside the exec driver: the operator's note, a server's error, an alert's labels.
    expect(session.note(`rotated ${DEPLOY} after the deploy`)).toBeUndefined();
    session.ctx.emit({ type: 'metric/failed', t: session.now(), panel: 'p', kind: 'http', message: `HTTP 401: bad key ${APIKEY}` });
    session.ctx.emit({
      type: 'alerts/updated',
      t: session.now(),
      alerts: [{ name: 'Leak', summary: `token ${GHP}`, startsAt: 1, labels: { key: APIKEY } }],
    });
    expect(session.confirmRollback('back')).toBeUndefined();
    await session.rollbackSettled();
    await session.end();

    const bytes = readFileSync(path, 'utf8');
    for (const s of SECRETS) expect(bytes, s).not.toContain(s);
    const lines = bytes.trimEnd().split('\n');
    expect(lines[0]).toContain('"name":"secrets [REDACTED]"');
    // What was printed is there, with the values hidden: the test saw the output it guards. The steps
    // ran from the runbook, not from its redacted copy: the 44 characters of the token went through wc.
    expect(bytes).toContain('deploy=[REDACTED] key=[REDACTED]');
    // (wc and echo are two processes: their lines may come as one output event or two.)
    const literal = lines
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'command/output' && e.cmd.startsWith('literal#'))
      .map((e) => e.text)
      .join('');
    expect(literal).toBe('44\n[REDACTED] [REDACTED]\n');
    expect(bytes).toContain('"text":"undo [REDACTED] 20\\n"');
    expect(bytes).toContain('"text":"rotated [REDACTED] after the deploy"');
    expect(bytes).toContain('"message":"HTTP 401: bad key [REDACTED]"');
    expect(bytes).toContain('"summary":"token [REDACTED]","startsAt":1,"labels":{"key":"[REDACTED]"}');
    expect(session.state.steps.missing.status).toBe('failed');

    for (const l of lines) expect(checkEvent(JSON.parse(l))).toMatchObject({ ok: true });
    const player = await openReplay(path, { paused: true });
    await player.index.run();
    expect(player.index.problems).toEqual([]);
    expect(player.index.count).toBe(lines.length);
    player.index.close();
  });
});
