// Given a recorded session replayed read-only, when the operator presses the transport keys,
// then the progress line and the panes move accordingly, and no key can change anything.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { openReplay } from '../../src/replay/open.js';
import { replayModel } from '../../src/replay/model.js';
import type { Player } from '../../src/replay/player.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';

const JOURNAL = 'fixtures/sessions/checkout-rolled-back.jsonl';
let r: Rendered | undefined;
let player: Player | undefined;
let stop: (() => void) | undefined;
let quits = 0;
afterEach(() => {
  stop?.();
  r?.unmount();
  player?.index.close();
});
const frame = () => r!.lastFrame();
/** The progress line: the second line of the frame. */
const bar = () => frame().split('\n')[1];

async function replay(): Promise<Player> {
  player = await openReplay(JOURNAL, { paused: true });
  await player.index.run();
  stop = player.run(20);
  r = renderSized(
    <App model={replayModel(player, { journalPath: JOURNAL, color: false, onQuit: () => void quits++ })} color={false} />,
    160,
    40,
  );
  await expect.poll(bar).toMatch(/❚❚ 1x T\+00:00 \/ T\+02:30 ●─+◆─+R.* 3\/79 events/);
  return player;
}

describe('replay keys', () => {
  it('arrows seek 10 s, Shift+arrows 1 min, digits jump to a tenth, . and , step one event', async () => {
    await replay();
    const to = async (keys: string, re: RegExp) => {
      r!.press(keys);
      await expect.poll(bar).toMatch(re);
    };
    await to(KEY.right, /T\+00:10 \//);
    await to('\x1b[1;2C', /T\+01:10 \//);
    await to(KEY.left, /T\+01:00 \//);
    await to('\x1b[1;2D', /T\+00:00 \//);
    await to('5', /T\+01:15 \//);
    expect(frame()).toMatch(/╔═ 2 Checklist/);
    await to('9', /T\+02:15 \//);
    await to('0', /T\+00:00 \/.* 3\/79 events/);
    await to('.', / 4\/79 events/);
    await to('.', / 5\/79 events/);
    await to(',', / 4\/79 events/);
  });

  it('n and p go from decision to decision; the panes show each', async () => {
    await replay();
    r!.press('n');
    await expect.poll(bar).toMatch(/T\+00:45 \/.* 29\/79 events/);
    expect(frame()).toMatch(/GO by alice: backup verified, green healthy/);
    r!.press('n');
    await expect.poll(bar).toMatch(/T\+01:55 \/.* 58\/79 events/);
    expect(frame()).toMatch(/trigger errors-high FIRING/);
    r!.press('n');
    await expect.poll(frame).toMatch(/Level 1: traffic back to green.*◀ RECOMMENDED/);
    r!.press('n');
    await expect.poll(frame).toMatch(/RUNNING traffic by alice/);
    r!.press('n');
    await expect.poll(frame).toMatch(/OK traffic by alice {2}4s \/ expected 2m/);
    r!.press('n');
    await expect.poll(bar).toMatch(/no later decision/);
    r!.press('p');
    await expect.poll(frame).toMatch(/RUNNING traffic by alice/);
  });

  it('[ and ] change the speed within 0.25x-64x; space plays to the end and stops there', async () => {
    await replay();
    r!.press('[');
    await expect.poll(bar).toMatch(/❚❚ 0\.5x /);
    for (let i = 0; i < 4; i++) r!.press('[');
    await expect.poll(bar).toMatch(/❚❚ 0\.25x /);
    for (let i = 0; i < 12; i++) r!.press(']');
    await expect.poll(bar).toMatch(/❚❚ 64x /);
    r!.press(' ');
    await expect.poll(bar).toMatch(/▶ 64x /);
    await expect.poll(bar, { timeout: 8000 }).toMatch(/■ 64x T\+02:30 \/ T\+02:30 ━+.*● 79\/79 events/);
    expect(frame()).toMatch(/■ REPLAY|▶ REPLAY/);
    expect(frame()).toMatch(/session ended: rolled-back/);
  });

  it('is read-only: no key opens a dialog that acts, the help lists the transport keys, q quits at once', async () => {
    await replay();
    r!.press('5');
    await expect.poll(bar).toMatch(/T\+01:15/);
    for (const k of ['R', 'x', 'c', 's', 'r', KEY.enter, 'g', 'Y', 'y']) r!.press(k);
    r!.press(KEY.tab);
    r!.press(KEY.tab);
    await expect.poll(frame).toMatch(/╔═ 4 Rollback/);
    for (const k of ['R', 'Y', 'x', 'y', 'c']) r!.press(k);
    // Keys are handled in order: had any of them opened a dialog, it would take this ? and no help would show.
    r!.press('?');
    await expect.poll(frame).toMatch(/Keys \(any key closes\)/);
    expect(frame()).toMatch(/S-←\/S-→\s+-\/\+1 min/);
    expect(frame()).toMatch(/\.\/,\s+one event forward \/ back/);
    expect(frame()).not.toMatch(/roll back…|abort rollback…|skip…|enter\s+tick|n\s+note|retry|dismiss/);
    r!.press('x');
    await expect.poll(frame).not.toMatch(/Keys \(any key closes\)/);
    expect(frame()).not.toMatch(/ROLL BACK|Abort rollback|Skip "|go \/ no-go\?|Add a note/);
    expect(frame()).toMatch(/space play {2}← -\/\+10s {2}\[ speed 1x {2}n next\/prev decision {2}q quit {2}z zoom pane {2}\? help/);
    const before = quits;
    r!.press('q');
    await expect.poll(() => quits).toBe(before + 1);
  });
});
