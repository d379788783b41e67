// The rollback pane shows the selected host's output, read from the output tails buffer (not from
// the state): given a rollback whose host keeps writing, the pane follows its newest lines; and a
// tail the buffer evicted says where the output is instead of showing nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { OutputTails, reduceAll, selectRollback, type SessionEvent } from '../../src/core/index.js';
import { rollbackLines } from '../../src/ui/panes/rollback/rows.js';
import { plain } from '../../src/ui/rows.js';
import { T0, at, started } from '../core/fixtures.js';
import { renderSized, type Rendered } from '../support/ink.js';
import { liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();

describe('rollback pane output', () => {
  it('shows the selected host output as it streams in', async () => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />, 160, 48);
    r.press('4');
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await session.rollbackSettled();
    await expect.poll(frame).toMatch(/── lb1\.internal: lbctl weight blue 0/);
    await expect.poll(frame).toMatch(/ {2}done on lb1\.internal/);
    // More output for the same command: the commands record does not change, the tail does.
    const cmd = session.state.rollback.run!.steps['shift-back'].cmds[0];
    const before = session.state.commands;
    await session.emit({
      type: 'command/output',
      t: session.now(),
      cmd,
      host: 'lb1.internal',
      stream: 'stderr',
      text: 'late line one\nlate line two\n',
    });
    expect(session.state.commands).toBe(before);
    await expect.poll(frame).toMatch(/ {2}late line two/);
    expect(frame()).toMatch(/done on lb1\.internal[\s\S]*late line one[\s\S]*late line two/);
  });

  it('says the output is in the journal when its tail was evicted', () => {
    const events: SessionEvent[] = [
      started(),
      at(1, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }) as SessionEvent,
      at(1, { type: 'rollback/step', level: 'traffic', step: 'shift-back', status: 'started' }) as SessionEvent,
      at(2, {
        type: 'command/started',
        cmd: 'k1',
        step: 'shift-back',
        level: 'traffic',
        host: 'lb1.internal',
        command: 'lbctl weight blue 0',
      }) as SessionEvent,
      at(2, { type: 'command/output', cmd: 'k1', host: 'lb1.internal', stream: 'stdout', text: 'weights set\n' }) as SessionEvent,
      at(3, { type: 'command/exited', cmd: 'k1', host: 'lb1.internal', code: 0, ms: 900 }) as SessionEvent,
    ];
    const state = reduceAll(events);
    const rows = (tails: OutputTails) =>
      rollbackLines({
        view: selectRollback(state, T0 + 4000),
        cursor: 0,
        hostCursor: 0,
        commands: state.commands,
        tails,
        now: T0 + 4000,
        width: 100,
        height: 20,
        color: false,
        readOnly: true,
      }).map(plain);
    const kept = new OutputTails();
    for (const e of events) kept.add(e);
    expect(rows(kept)).toContain('  weights set');
    // Only one finished tail is kept, and a later command finished after this one.
    const evicting = new OutputTails({ lines: 200, chars: 1000, finished: 1, totalChars: 10_000 });
    for (const e of [
      ...events,
      at(4, { type: 'command/started', cmd: 'k2', step: 'x', host: 'h', command: 'true' }) as SessionEvent,
      at(5, { type: 'command/exited', cmd: 'k2', host: 'h', code: 0, ms: 1 }) as SessionEvent,
    ])
      evicting.add(e);
    const lines = rows(evicting);
    expect(lines).not.toContain('  weights set');
    expect(lines.join('\n')).toMatch(
      /── lb1\.internal: lbctl weight blue 0\n {2}output no longer held in memory \(many commands finished since\); the journal has all of it/,
    );
  });
});
