// Given a gate that needs two people, when the operator says GO in the console, then the status bar and
// the checklist say it waits for a second approver, esc withdraws it, and an approval shows both names.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { instantExecutors, liveModel } from '../ui/live.js';
import { runbookOf, SOURCE, TWO_PEOPLE } from './helpers.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame() ?? '';

/** The console at the first gate, its step done. */
async function atGate() {
  const live = await liveModel(runbookOf(TWO_PEOPLE), instantExecutors());
  live.session.act('a');
  await expect.poll(() => live.session.state.steps.a?.status).toBe('passed');
  r = renderSized(<App model={live.model} color={false} />);
  await expect.poll(frame).toMatch(/Carry on\?.*waiting for go \/ no-go \(enter\); a GO needs a 2nd approver/);
  r.press(KEY.down);
  await expect.poll(frame).toMatch(/▸ ◆ Carry on\?/);
  r.press(KEY.enter);
  await expect.poll(frame).toMatch(/g GO · n NO-GO/);
  r.press('g');
  await expect.poll(frame).toMatch(/Reason \(optional\)/);
  r.press(KEY.enter);
  return live;
}

describe('a GO that waits for a second approver, in the console', () => {
  it('shows in the status bar and at the gate; esc withdraws it', async () => {
    const { session } = await atGate();
    await expect.poll(frame).toMatch(/WAITING FOR A 2ND APPROVER: gate one GO \(request gate-one-go-\d+, by alice\)/);
    expect(frame()).toMatch(/Carry on\?\s+GO by alice: waits for a 2nd approver \(esc withdraws\)/);
    expect(frame()).toMatch(/esc withdraw approval request/);
    r!.press(KEY.esc);
    await expect.poll(() => Object.keys(session.state.approvals ?? {})).toEqual([]);
    await expect.poll(frame).not.toMatch(/WAITING FOR A 2ND APPROVER/);
    expect(session.state.gates.one).toBeUndefined();
  });

  it('an approval from another person decides it, and the gate shows both names', async () => {
    const { session } = await atGate();
    await expect.poll(() => Object.keys(session.state.approvals ?? {}).length).toBe(1);
    const id = Object.keys(session.state.approvals!)[0];
    expect(await session.answerApproval({ id, decision: 'approve', by: 'bob', source: SOURCE })).toMatchObject({ seq: expect.any(Number) });
    await expect.poll(frame).toMatch(/Carry on\?\s+GO by alice, approved by bob/);
    expect(frame()).not.toMatch(/WAITING FOR A 2ND APPROVER/);
  });
});
