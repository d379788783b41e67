// A webhook's credentials never reach the journal: given a webhook whose URL and Authorization
// header come from ${VAR}, and one whose URL is written out, when the receiver refuses and echoes
// what it was sent, then the receiver did get the token, and no byte of the journal holds the
// token, the URL or its path; the variables are secrets wherever cutover redacts.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { secretNames } from '../../src/runbook/secrets.js';
import { startReceiver, type Receiver } from './receiver.js';
import { decideGate, journaled, notifyRunbook, notifySession } from './session.js';

const TOKEN = 'tok-Qm8ZrV2xKp5Wn7Ld';
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

describe('webhook credentials', () => {
  it('the token is sent, and neither it nor the URL is journaled, even when the receiver echoes them', async () => {
    // The receiver echoes everything it was sent in its refusal: a careless server's error page.
    const echo = await startReceiver((_, path) => ({ status: 401, body: `bad credentials Bearer ${TOKEN} for ${path}` }));
    receivers.push(echo);
    const path = '/hook/T0SECRET/B0SECRET/x7Yq9Pz';
    const url = `${echo.origin}${path}`;
    const env = { CUTOVER_T_HOOK: url, CUTOVER_T_TOKEN: TOKEN };
    const rb = notifyRunbook(
      [
        '  - id: hook',
        '    url: "${CUTOVER_T_HOOK}"',
        '    format: json',
        '    headers: { Authorization: "Bearer ${CUTOVER_T_TOKEN}" }',
      ].join('\n'),
      env,
    );
    const s = await notifySession(rb, env);
    await decideGate(s.session, 'go');
    await s.session.end('quit');

    expect(echo.received[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(echo.received[0].path).toBe(path);
    const bytes = readFileSync(s.path, 'utf8');
    for (const secret of [TOKEN, url, path, 'T0SECRET']) expect(bytes).not.toContain(secret);
    const failed = journaled(s.path).flatMap((e) => (e.type === 'notify/failed' ? [e] : []));
    expect(failed.map((e) => e.event)).toEqual(['gate/decided', 'session/ended']);
    // The whole header value was sent, so the whole of it is scrubbed from what the receiver said.
    expect(failed[0].error).toBe('HTTP 401: bad credentials *** for ***');
  });

  it('a URL written out in the runbook is as secret: the journaled runbook does not hold it', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const url = `${r.origin}/hook/written-out-Zk4Hq9`;
    const rb = notifyRunbook(`  - { id: hook, url: "${url}", format: slack }`, {});
    const s = await notifySession(rb, {});
    await decideGate(s.session, 'go');
    await s.session.end('quit');
    expect(r.received.map((x) => x.path)).toEqual(['/hook/written-out-Zk4Hq9', '/hook/written-out-Zk4Hq9']);
    expect(readFileSync(s.path, 'utf8')).not.toContain('written-out-Zk4Hq9');
  });

  it("a webhook's URL and header variables are secrets (so every redactor hides their values)", () => {
    const env = { CUTOVER_T_HOOK: 'https://hooks.example.com/x', CUTOVER_T_TOKEN: TOKEN };
    const rb = notifyRunbook('  - { id: hook, url: "${CUTOVER_T_HOOK}", format: slack, headers: { X-Token: "${CUTOVER_T_TOKEN}" } }', env);
    expect(secretNames(rb)).toEqual(expect.arrayContaining(['CUTOVER_T_HOOK', 'CUTOVER_T_TOKEN']));
  });
});
