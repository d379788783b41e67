// A host's output in CJK, with emoji and combining marks, is cut by columns in every pane: no row of
// the screen is wider than the terminal, so nothing wraps and the layout keeps its rows.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import stringWidth from 'string-width';
import { renderSized, type Rendered } from '../support/ink.js';
import { liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();

// Japanese runs without spaces: a terminal (and Ink) would break it anywhere.
const WIDE = 'デプロイ完了。全てのノードでエラー率が正常範囲内に戻りました🚀✅❤️👨‍👩‍👧café\u0301';

describe('wide output', () => {
  it.each([
    [80, 24],
    [100, 30],
    [160, 48],
  ])('at %ix%i a host line in CJK does not wrap, in the rollback pane', async (columns, rows) => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />, columns, rows);
    // A rollback runs; its host answers in Japanese, with emoji and combining marks.
    r.press('4');
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await session.rollbackSettled();
    // The rollback pane, zoomed, shows the selected host's output line by line.
    r.press('z');
    await expect.poll(frame).toMatch(/done on lb1\.internal/);
    const cmd = session.state.rollback.run!.steps['shift-back'].cmds[0];
    await session.emit({
      type: 'command/output',
      t: session.now(),
      cmd,
      host: 'lb1.internal',
      stream: 'stdout',
      text: `${WIDE.repeat(4)}\n`,
    });
    await expect.poll(frame).toMatch(/デプロイ完了/);
    const lines = frame().split('\n');
    expect(lines).toHaveLength(rows);
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
    // The line takes one row, cut with an ellipsis inside the border: none of it spills onto the next row.
    const held = lines.filter((l) => /[ノド]/.test(l));
    expect(held, frame()).toHaveLength(1);
    expect(held[0]).toMatch(/^║ {2}デプロイ完了。.*… *║$/);
    // The screen keeps its frame: the footer is still the last row, the status bar the first.
    expect(lines.at(-1)).toMatch(/\S/);
    expect(lines[0]).toMatch(/\S/);
  });

  it.each([
    [80, 24],
    [160, 48],
  ])('at %ix%i the timeline tells a command exit whose last line is CJK in one row', async (columns, rows) => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />, columns, rows);
    // The story cuts the last line to a number of characters; the pane cuts it again, by columns.
    const t = session.now();
    const cmd = 'wide@web1';
    await session.emit({ type: 'command/started', t, cmd, step: 'deploy', host: 'web1', command: 'deployctl status' });
    await session.emit({ type: 'command/output', t, cmd, host: 'web1', stream: 'stdout', text: `ok\n${WIDE.repeat(4)}\n` });
    await session.emit({ type: 'command/exited', t, cmd, host: 'web1', code: 0, ms: 5 });
    r.press('3');
    r.press('z');
    await expect.poll(frame).toMatch(/last: "デプロイ完了/);
    const lines = frame().split('\n');
    expect(lines).toHaveLength(rows);
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
    const held = lines.filter((l) => /[ノド]/.test(l));
    expect(held, frame()).toHaveLength(1);
    expect(held[0]).toMatch(/web1 exit 0 .*last: "デプロイ完了。.*… *[│║]$/);
  });
});
