// Given `cutover follow --approve` and a pending approval request, when the second person presses
// a or r, then the follower confirms (capital Y for a rollback), takes a reason, sends the
// console's socket protocol's approve request, and shows the console's answer, errors included.
// The console is a tiny fake here: a Unix socket server speaking protocol.ts.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ask } from '../../src/live/client.js';
import { Approver } from '../../src/live/follow-approve.js';
import { pendingApprovals } from '../../src/live/follow-approvals.js';
import { followModel } from '../../src/live/follow-model.js';
import { openFollow } from '../../src/live/follow-open.js';
import { Follower } from '../../src/live/follow-tail.js';
import type { ApprovalSubject } from '../../src/core/events.js';
import { socketPath, type Answer, type Request } from '../../src/live/protocol.js';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { liveJournal, tempDir } from './journal.js';

let r: Rendered | undefined;
let f: Follower | undefined;
let server: Server | undefined;
afterEach(async () => {
  r?.unmount();
  f?.stop();
  f?.index.close();
  await new Promise((res) => (server ? server.close(res) : res(undefined)));
  server = undefined;
});
const frame = () => r!.lastFrame();
const line = () => frame().split('\n')[1];

/** A fake console on `path`: records each request and answers with `answer(request)`. */
function fakeConsole(path: string, answer: (q: Request) => Answer): { ready: Promise<void>; got: Request[] } {
  const got: Request[] = [];
  server = createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      const q = JSON.parse(buf.slice(0, nl)) as Request;
      got.push(q);
      sock.end(`${JSON.stringify(answer(q))}\n`);
    });
  });
  return { ready: new Promise<void>((res) => server!.listen(path, () => res())), got };
}

const GATE = { kind: 'gate', phase: 'pre', decision: 'go' } as const;
const ROLLBACK = { kind: 'rollback', level: 'traffic' } as const;

/** A follower with --approve as bob, a request by alice journaled for `subject`, and the console's answers. */
async function approving(subject: ApprovalSubject, answer: (q: Request) => Answer = () => ({ ok: true, seq: 42 }), listen = true) {
  const dir = tempDir();
  const j = await liveJournal(dir, { operator: 'alice' });
  await j.add({ type: 'approval/requested', id: 'req-7', subject, operator: 'alice', reason: 'needs two' });
  const fake = listen ? fakeConsole(socketPath(j.path), answer) : undefined;
  await fake?.ready;
  const follower = new Follower(await openFollow(j.path));
  f = follower;
  const pending = () => pendingApprovals(follower.state);
  const approver = new Approver({ by: 'bob', socket: socketPath(j.path), pending, ask, changed: () => follower.changed() });
  r = renderSized(<App model={followModel(f, { journalPath: j.path, color: false, approver, onQuit: () => {} })} color={false} />, 200, 40);
  f.start();
  await expect.poll(line).toMatch(/⚑ alice asks approval: .* a approve · r refuse/);
  return { got: fake?.got ?? [], j };
}

describe('follow --approve', () => {
  it('a, y, a reason, enter: sends approve with the name and reason, and shows the answer', async () => {
    const { got } = await approving(GATE);
    r!.press('a');
    await expect.poll(frame).toMatch(/APPROVE: gate pre GO/);
    expect(frame()).toMatch(/alice asks a second person to approve: gate pre GO/);
    expect(frame()).toMatch(/their reason: needs two/);
    r!.press('y');
    await expect.poll(frame).toMatch(/Reason \(optional\):/);
    r!.press('looks fine');
    await expect.poll(frame).toMatch(/> looks fine/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/✓ approved gate pre GO: the console took it \(seq 42\)/);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      op: 'approve',
      request: 'req-7',
      decision: 'approve',
      by: 'bob',
      reason: 'looks fine',
      source: { user: 'bob', pid: process.pid },
    });
    expect(frame()).not.toMatch(/APPROVE: gate/);
  });

  it('a rollback needs capital Y: y says so and sends nothing', async () => {
    const { got } = await approving(ROLLBACK);
    r!.press('a');
    await expect.poll(frame).toMatch(/Approve this rollback\? Capital Y approves\./);
    r!.press('y');
    await expect.poll(line).toMatch(/approving a rollback needs capital Y/);
    expect(frame()).not.toMatch(/Reason \(optional\)/);
    r!.press('Y');
    await expect.poll(frame).toMatch(/Reason \(optional\):/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/✓ approved rollback traffic/);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ decision: 'approve', request: 'req-7' });
    expect(got[0]).not.toHaveProperty('reason');
  });

  it('r refuses, and needs a reason', async () => {
    const { got } = await approving(GATE);
    r!.press('r');
    await expect.poll(frame).toMatch(/REFUSE: gate pre GO/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/a refusal needs a reason/);
    r!.press('error rate still climbing');
    await expect.poll(frame).toMatch(/> error rate still climbing/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/✓ refused gate pre GO/);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ decision: 'refuse', reason: 'error rate still climbing', by: 'bob' });
  });

  it("shows the console's refusal (a self-approval) as an error line", async () => {
    await approving(GATE, (q) => ({
      ok: false,
      error: `${(q as { by: string }).by} asked for this approval: a second person must approve it`,
    }));
    r!.press('a');
    r!.press('y');
    await expect.poll(frame).toMatch(/Reason \(optional\):/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/✗ the console said no: bob asked for this approval: a second person must approve it/);
  });

  it('an answer that comes too late never reads as "not done": it may have been recorded', async () => {
    await approving(GATE);
    const late = new Approver({
      by: 'bob',
      socket: '/nowhere.sock',
      pending: () => pendingApprovals(f!.state),
      ask: async () => ({ ok: false, error: '/nowhere.sock: no answer within 15 s; is the console still running?' }),
      changed: () => f!.changed(),
    });
    r!.unmount();
    r = renderSized(
      <App model={followModel(f!, { journalPath: '/x', color: false, approver: late, onQuit: () => {} })} color={false} />,
      200,
      40,
    );
    await expect.poll(line).toMatch(/a approve · r refuse/);
    r!.press('a');
    r!.press('y');
    await expect.poll(frame).toMatch(/Reason \(optional\):/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/✗ no answer in time: the approval may still have been recorded; the timeline will say/);
  });

  it('no console listening: says so in one line', async () => {
    await approving(GATE, undefined, false);
    r!.press('a');
    r!.press('y');
    await expect.poll(frame).toMatch(/Reason \(optional\):/);
    r!.press(KEY.enter);
    await expect.poll(line).toMatch(/✗ the console said no: .*\.live-[0-9a-f]{12}\.sock: no live session there/);
  });

  it('once the console journals the decision, the request and its keys are gone', async () => {
    const { j } = await approving(GATE);
    await j.add({
      type: 'approval/decided',
      id: 'req-7',
      decision: 'approve',
      by: 'carol',
      source: { user: 'carol', pid: 1, command: 'cutover follow' },
    });
    await expect.poll(line).not.toMatch(/asks approval/);
    r!.press('a');
    await expect.poll(frame).toMatch(/approve…: no approval request is pending/);
    expect(frame()).not.toMatch(/APPROVE: gate/);
  });

  it('esc cancels without sending', async () => {
    const { got } = await approving(GATE);
    r!.press('a');
    await expect.poll(frame).toMatch(/APPROVE: gate pre GO/);
    r!.press(KEY.esc);
    await expect.poll(frame).not.toMatch(/APPROVE: gate pre GO/);
    r!.press('r');
    await expect.poll(frame).toMatch(/REFUSE: gate/);
    r!.press(KEY.esc);
    await expect.poll(frame).not.toMatch(/REFUSE: gate/);
    expect(got).toEqual([]);
  });
});
