// A second approver (approvals: 2): the operator's GO or rollback waits as a journaled request; another
// person answers through the live socket (ask(), as `cutover follow --approve` does); a self-approval,
// an unknown request and an ending session are refused; the operator can withdraw. A NO-GO never waits.
import { afterEach, describe, expect, it } from 'vitest';
import { ask } from '../../src/live/client.js';
import { socketPath } from '../../src/live/protocol.js';
import { selectAlert } from '../../src/core/select-status.js';
import { loadRunbookText } from '../../src/runbook/load.js';
import type { Session } from '../../src/session/session.js';
import type { LiveServer } from '../../src/live/server.js';
import { liveSession, runbookOf, SOURCE, TWO_PEOPLE } from './helpers.js';
import { reduceAll } from '../../src/core/reduce.js';
import type { ApprovalSubject, SessionEvent } from '../../src/core/events.js';
import { Plausibility } from '../../src/replay/plausible.js';
import { checkEvent } from '../../src/replay/validate.js';
import type { LineProblem } from '../../src/replay/lines.js';

const open: { session: Session; server: LiveServer }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.session.end();
    await o.server.close();
  }
});

/** A session whose first phase is done: at its gate. */
async function atGate() {
  const s = await liveSession();
  open.push(s);
  expect(s.session.act('a')).toBeUndefined();
  await expect.poll(() => s.session.state.steps.a?.status).toBe('passed');
  return s;
}

/** The pending request's id, once the console journaled it. */
async function pendingId(session: Session): Promise<string> {
  await expect.poll(() => Object.keys(session.state.approvals ?? {}).length).toBe(1);
  return Object.keys(session.state.approvals!)[0];
}

const answer = (journal: string, request: string, by: string, decision: 'approve' | 'refuse' = 'approve', reason?: string) =>
  ask(socketPath(journal), { op: 'approve', request, decision, by, ...(reason ? { reason } : {}), source: { ...SOURCE, user: by } });

describe('a gate that needs two people', () => {
  it('a GO waits for a second person; their approval journals both names, then the next phase opens', async () => {
    const { session, journal, events } = await atGate();
    expect(session.decideGate('one', 'go', 'canary clean')).toBeUndefined();
    const id = await pendingId(session);
    expect(id).toMatch(/^gate-one-go-\d+$/);
    // Nothing decided yet: the next phase stays locked, and the status bar says who waits for what.
    expect(session.state.gates.one).toBeUndefined();
    expect(session.refusal({ kind: 'run', step: 'b' })).toMatch(/locked/);
    expect(selectAlert(session.state, session.now())?.text).toMatch(
      /WAITING FOR A 2ND APPROVER: gate one GO \(request gate-one-go-\d+, by alice\)/,
    );
    // The same GO again is refused while it waits.
    expect(session.decideGate('one', 'go', '')).toMatch(/waiting for a second person/);

    const a = await answer(journal, id, 'bob', 'approve', 'numbers look right');
    expect(a).toMatchObject({ ok: true, seq: expect.any(Number) });
    await expect.poll(() => session.state.gates.one?.decision).toBe('go');
    expect(session.state.gates.one).toMatchObject({ operator: 'alice', approvedBy: 'bob', reason: 'canary clean' });
    const ev = events();
    const req = ev.findIndex((e) => e.type === 'approval/requested');
    const dec = ev.findIndex((e) => e.type === 'approval/decided');
    const gate = ev.findIndex((e) => e.type === 'gate/decided');
    expect(ev[req]).toMatchObject({
      id,
      subject: { kind: 'gate', phase: 'one', decision: 'go' },
      operator: 'alice',
      reason: 'canary clean',
    });
    expect(ev[dec]).toMatchObject({ id, decision: 'approve', by: 'bob', reason: 'numbers look right', source: SOURCE });
    expect(ev[gate]).toMatchObject({ operator: 'alice', approvedBy: 'bob' });
    expect(req).toBeLessThan(dec);
    expect(dec).toBeLessThan(gate);
    // The answer's seq is the approval's line in the journal.
    expect(a.ok && a.seq).toBe(dec + 1);
    expect(session.refusal({ kind: 'run', step: 'b' })).toBeUndefined();
    expect(session.state.approvals).toEqual({});
  });

  it('refuses a self-approval (any case, any blanks), and the request stays pending', async () => {
    const { session, journal, events } = await atGate();
    session.decideGate('one', 'go', '');
    const id = await pendingId(session);
    // Invisible characters and look-alike forms do not make another person either (seen in a trial: "alice" + U+200B).
    for (const me of ['alice', ' Alice ', 'alice\u200b', 'a\u200dlice', '\uff41lice', 'ALICE\u00a0']) {
      const a = await answer(journal, id, me);
      expect(a).toEqual({
        ok: false,
        error: 'alice asked for this approval: a second approval must come from another person (--operator NAME)',
      });
    }
    expect(session.state.approvals?.[id]).toBeDefined();
    expect(session.state.gates.one).toBeUndefined();
    expect(events().some((e) => e.type === 'approval/decided' || e.type === 'gate/decided')).toBe(false);
  });

  it('a refusal is journaled, decides nothing, and the operator may ask again', async () => {
    const { session, journal, events } = await atGate();
    session.decideGate('one', 'go', '');
    const id = await pendingId(session);
    expect(await answer(journal, id, 'bob', 'refuse', 'error budget is gone')).toMatchObject({ ok: true });
    await expect.poll(() => Object.keys(session.state.approvals ?? {})).toEqual([]);
    expect(session.state.gates.one).toBeUndefined();
    expect(events().find((e) => e.type === 'approval/decided')).toMatchObject({
      decision: 'refuse',
      by: 'bob',
      reason: 'error budget is gone',
    });
    // Answering an answered request is refused with the reason.
    expect(await answer(journal, id, 'carol')).toEqual({ ok: false, error: `no approval request '${id}' is pending (none is)` });
    expect(session.decideGate('one', 'go', 'second try')).toBeUndefined();
    await pendingId(session);
  });

  it('the operator withdraws the request; an answer after that is refused', async () => {
    const { session, journal, events } = await atGate();
    session.decideGate('one', 'go', '');
    const id = await pendingId(session);
    expect(session.withdrawApproval()).toBeUndefined();
    await expect.poll(() => Object.keys(session.state.approvals ?? {})).toEqual([]);
    expect(events().find((e) => e.type === 'approval/decided')).toMatchObject({ id, decision: 'withdraw', by: 'alice' });
    expect(events().find((e) => e.type === 'approval/decided')).not.toHaveProperty('source');
    expect(await answer(journal, id, 'bob')).toMatchObject({ ok: false, error: expect.stringMatching(/is pending/) });
    expect(session.state.gates.one).toBeUndefined();
    expect(session.withdrawApproval()).toBe('no approval request is pending');
  });

  it('a NO-GO never waits: stopping takes one person, and it takes the pending GO with it', async () => {
    const { session, journal } = await atGate();
    session.decideGate('one', 'go', '');
    const id = await pendingId(session);
    expect(session.decideGate('one', 'no-go', 'p95 doubled')).toBeUndefined();
    await expect.poll(() => session.state.gates.one?.decision).toBe('no-go');
    expect(session.state.approvals).toEqual({});
    expect(await answer(journal, id, 'bob')).toMatchObject({ ok: false, error: expect.stringMatching(/is pending/) });
  });

  it('an answer while the session ends is refused', async () => {
    const { session, journal } = await atGate();
    session.decideGate('one', 'go', '');
    const id = await pendingId(session);
    const ending = session.end();
    // Refused, however the race with the ending goes (the ending console, its request dropped, or nobody
    // answering once it closed its socket): what matters is that nothing is decided.
    const a = await answer(journal, id, 'bob');
    expect(a.ok, JSON.stringify(a)).toBe(false);
    await ending;
    expect(session.state.gates.one).toBeUndefined();
  });
});

describe('a rollback level that needs two people', () => {
  it('confirming it asks; approval runs it, confirmed by the operator and approved by the second', async () => {
    const s = await liveSession();
    open.push(s);
    const { session, journal, events } = s;
    expect(session.confirmRollback('undo')).toBeUndefined();
    const id = await pendingId(session);
    expect(id).toMatch(/^rollback-undo-\d+$/);
    expect(session.state.rollback.run).toBeUndefined();
    expect(session.confirmRollback('undo')).toMatch(/waiting for a second person/);
    expect(await answer(journal, id, 'bob')).toMatchObject({ ok: true });
    await expect.poll(() => session.state.rollback.run?.ok).toBe(true);
    expect(events().find((e) => e.type === 'rollback/confirmed')).toMatchObject({ level: 'undo', operator: 'alice', approvedBy: 'bob' });
  });

  it('a level without approvals runs at once', async () => {
    const s = await liveSession();
    open.push(s);
    expect(s.session.confirmRollback('quick')).toBeUndefined();
    await expect.poll(() => s.session.state.rollback.run?.level).toBe('quick');
    expect(s.session.state.approvals).toBeUndefined();
  });
});

describe('the runbook', () => {
  it('refuses an auto trigger on a level that needs two people (it cannot wait for one), and approvals other than 1 or 2', () => {
    const text = `${TWO_PEOPLE.replace('name: two people', 'name: two people\nprometheus: { url: "http://127.0.0.1:9" }\nhealth:\n  - { id: err, title: Errors, query: up }')}  triggers:\n    - { id: burn, when: "err > 0.5", severity: critical, recommend: undo, auto: true }\n`;
    const r = loadRunbookText('rb.yaml', text, null);
    expect(r.problems.map((p) => p.message)).toEqual([
      "auto: true starts level 'undo' by itself, but that level needs approvals: 2 (a second person); drop auto here, or the level's approvals",
    ]);
    const three = loadRunbookText('rb.yaml', TWO_PEOPLE.replace('approvals: 2 }', 'approvals: 3 }'), null);
    expect(three.problems.map((p) => p.message)).toEqual([
      'approvals is 1 (the operator alone, the default) or 2 (a second person approves)',
    ]);
  });
});

describe('in the journal', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const startedEv: SessionEvent = {
    type: 'session/started',
    t: t0,
    sessionId: 's',
    runbook: runbookOf(TWO_PEOPLE),
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'alice',
    mode: 'live',
    version: 't',
  };
  const asked = (subject: ApprovalSubject, id = 'r1'): SessionEvent => ({
    type: 'approval/requested',
    t: t0 + 1,
    id,
    subject,
    operator: 'alice',
  });

  it("a restart drops pending requests: the console that held them is gone, asking again is the operator's call", () => {
    const s = reduceAll([
      startedEv,
      asked({ kind: 'gate', phase: 'one', decision: 'go' }),
      { type: 'session/resumed', t: t0 + 2, operator: 'alice', afterSeq: 2 },
    ]);
    expect(s.approvals).toEqual({});
  });

  it('replay takes a request only for a gated phase or a known level, and checks its shape', () => {
    const judge = (e: SessionEvent) => {
      const j = new Plausibility({ now: t0 + 10_000 });
      const out: LineProblem[] = [];
      if (j.judge(startedEv, 1, 1, out)) j.folded(startedEv, 1);
      j.judge(e, 2, 2, out);
      return out.map((p) => p.message);
    };
    expect(judge(asked({ kind: 'gate', phase: 'one', decision: 'go' }))).toEqual([]);
    expect(judge(asked({ kind: 'gate', phase: 'two', decision: 'go' }))).toEqual([
      "approval/requested for gated phase 'two', which the journal's runbook does not have",
    ]);
    expect(judge(asked({ kind: 'rollback', level: 'nope' }))).toEqual([
      "approval/requested for rollback level 'nope', which the journal's runbook does not have",
    ]);
    expect(checkEvent({ ...asked({ kind: 'rollback', level: 'undo' }), id: 'constructor' })).toMatchObject({ ok: false });
    expect(checkEvent({ type: 'approval/decided', t: t0, id: 'r1', decision: 'overrule', by: 'bob' })).toMatchObject({ ok: false });
    expect(checkEvent({ type: 'mark/added', t: t0, kind: 'info', text: 'x', source: { user: 'u', pid: 1.5, command: '' } })).toMatchObject({
      ok: false,
    });
  });
});
