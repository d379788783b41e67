// Given a session the console is journaling, when another terminal follows it, then the same
// console shows the live state (FOLLOWING, who operates, the step the console started), no key
// can act on the session, a refused line is a problem and not a fact, and a session that ends
// says ENDED and stays until q.
import { afterEach, describe, expect, it } from 'vitest';
import { followModel } from '../../src/live/follow-model.js';
import { openFollow } from '../../src/live/follow-open.js';
import { Follower } from '../../src/live/follow-tail.js';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { liveJournal, type LiveJournal, tempDir } from './journal.js';

let r: Rendered | undefined;
let f: Follower | undefined;
let quits = 0;
afterEach(() => {
  r?.unmount();
  f?.stop();
  f?.index.close();
});
const frame = () => r!.lastFrame();

async function followed(): Promise<LiveJournal> {
  const j = await liveJournal(tempDir(), { operator: 'alice' });
  f = new Follower(await openFollow(j.path));
  r = renderSized(<App model={followModel(f, { journalPath: j.path, color: false, onQuit: () => void quits++ })} color={false} />, 160, 40);
  f.start();
  await expect.poll(frame).toMatch(/◉ FOLLOWING/);
  return j;
}

describe('follow console', () => {
  it('shows FOLLOWING, who operates, and the steps the console runs, live', async () => {
    const j = await followed();
    expect(frame().split('\n')[0]).toMatch(/◉ FOLLOWING {2}checkout-api/);
    await expect.poll(() => frame().split('\n')[1]).toMatch(/operator alice {2}up to date · last event \d+\.\ds ago {2}1 event$/);
    await j.add({ type: 'step/started', phase: 'pre', step: 'backup' });
    await expect.poll(frame, { timeout: 5000 }).toMatch(/step backup started: Database backup verified/);
    await j.add({ type: 'session/resumed', operator: 'bob', afterSeq: 2 });
    await expect.poll(() => frame().split('\n')[1], { timeout: 5000 }).toMatch(/operator bob /);
  });

  it('has no key that acts: rollback, abort, tick, skip, note, approve and refuse do not exist', async () => {
    const j = await followed();
    await j.add({ type: 'rollback/recommended', level: 'traffic', reason: 'error rate high' });
    // A pending request: without --approve it is shown, never answerable.
    await j.add({ type: 'approval/requested', id: 'a1', subject: { kind: 'rollback', level: 'traffic' }, operator: 'alice' });
    await expect.poll(frame).toMatch(/⚑ alice asks approval: rollback traffic/);
    expect(frame()).not.toMatch(/a approve/);
    for (const k of ['R', 'Y', 'x', 'y', 'c', 's', 'r', 'a', KEY.enter, 'g', 'n']) r!.press(k);
    r!.press('4');
    await expect.poll(frame).toMatch(/╔═ 4 Rollback/);
    for (const k of ['R', 'Y', 'x', 'y', 'c', 'a', 'r']) r!.press(k);
    // Keys are handled in order: had any of them opened a dialog, it would take this ? and no help would show.
    r!.press('?');
    await expect.poll(frame).toMatch(/Keys \(any key closes\)/);
    expect(frame()).not.toMatch(
      /roll back…|abort rollback…|skip…|enter\s+tick|n\s+note|retry|dismiss|approve rollback traffic…|refuse rollback traffic…/,
    );
    r!.press(KEY.esc);
    await expect.poll(frame).not.toMatch(/Keys \(any key closes\)/);
    expect(frame()).not.toMatch(/ROLL BACK:|Abort rollback|Skip "|Add a note|APPROVE:|REFUSE:/);
    expect(quits).toBe(0);
  });

  it('shows a line the judge refuses as a problem, not in the checklist', async () => {
    const j = await followed();
    await j.add({ type: 'step/started', phase: 'pre', step: 'forged' });
    await expect.poll(frame).toMatch(/⚠ 1 LINE NOT TAKEN AS FACT {2}live\.jsonl:2: step\/started of step 'forged'/);
    expect(frame()).not.toMatch(/step forged started/);
  });

  it('says ENDED when the session ends, and stays until q', async () => {
    const j = await followed();
    await j.add({ type: 'session/ended', outcome: 'completed' });
    await expect.poll(() => frame().split('\n')[0], { timeout: 5000 }).toMatch(/■ ENDED: completed/);
    expect(frame().split('\n')[1]).toMatch(/session ended \d+\.\ds ago; q quits/);
    // Still open a while later: nothing but q ends it.
    await new Promise((res) => setTimeout(res, 600));
    expect(quits).toBe(0);
    const before = quits;
    r!.press('q');
    await expect.poll(() => quits).toBe(before + 1);
  });
});
