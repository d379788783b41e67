// Given a session recorded live (real Session, journal, triggers, a real local command, a clock
// the test moves), when it is replayed and the operator walks it with n (next decision) and .
// (one event), then at every decision point the replayed frame equals the frame the live console
// showed after the same events. Allowed differences, by design: the ● REC / ▶ REPLAY mark, the
// progress line (the replay renders one row taller to make room for it), the footer's keys, and
// hints naming keys that do not exist in replay (in the panes and in the status bar's alert).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { sessionModel } from '../../src/ui/session-model.js';
import { openReplay } from '../../src/replay/open.js';
import { replayModel } from '../../src/replay/model.js';
import { verifyChain } from '../../src/journal/index.js';
import { renderSized, type Rendered } from '../support/ink.js';
import { record, type HostScript, type Recording } from '../support/scenario.js';
import { CHECKOUT } from '../support/scenario-runbooks.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-fidelity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const COLS = 160;
const ROWS = 40;
// A real local command slow enough to look at while it runs.
const RUNBOOK = CHECKOUT.replace('[echo, "green serving 100%"]', '[sleep, "1"]');
const hosts: HostScript = (host, cmd) => ({ code: 0, out: `ok (${host})\n`, secs: cmd.startsWith('lbctl') ? 4 : 2 });

/** The frame once rendering has settled (two reads 30 ms apart agree). */
async function stable(r: Rendered): Promise<string> {
  for (let last = r.lastFrame(); ; ) {
    await new Promise((res) => setTimeout(res, 30));
    const now = r.lastFrame();
    if (now === last) return now;
    last = now;
  }
}

const MARK = /^ (● REC|■ \S+|▶ REPLAY) /;
// Hints that name keys replay does not have; the live line keeps the same width without them.
const HINTS = ['; R opens the selected level', ': press c to cancel'];

function normalize(frame: string, replay: boolean): string[] {
  const lines = frame.split('\n');
  // The status bar's alert names its key live ("[R roll back traffic]"), which replay does not have; the
  // journal path at the end is then cut at a different column.
  const status = lines[0]
    .replace(MARK, ' MARK ')
    .replace(/ {2}\[[^\]]*\]/, '')
    .replace(/ {2}\/\S*$/, '');
  const panes = lines.slice(replay ? 2 : 1, -1).map((l) => HINTS.reduce((s, h) => s.replace(h, ' '.repeat(h.length)), l));
  return [status, ...panes];
}

describe('replay fidelity', () => {
  it('the replayed frame equals the live frame at every decision point', async () => {
    const path = join(dir, 'live.jsonl');
    const rec: Recording = await record(path, RUNBOOK, hosts, { runbookPath: 'runbooks/checkout.yaml' });
    const s = rec.session;
    const live = renderSized(<App model={sessionModel(s, { journalPath: path, onQuit: () => {} })} color={false} />, COLS, ROWS);
    const shots: { count: number; frame: string; what: string }[] = [];
    const shoot = async (what: string) => {
      await s.store.settled();
      s.store.publishNow();
      shots.push({ count: s.state.count, frame: await stable(live), what });
    };
    const health = async (sec: number, errors: number, p95 = 0.21) => {
      rec.clock.at(sec);
      await rec.sample('error_rate', errors);
      await rec.sample('p95_canary', p95, 0.2);
    };
    const done = (step: string) => rec.until((st) => ['passed', 'failed'].includes(st.steps[step]?.status ?? ''));
    try {
      await health(0, 0.002);
      await shoot('start');
      for (const [sec, step] of [
        [10, 'backup'],
        [20, 'green-health'],
        [30, 'artifact'],
        [35, 'err-low'],
      ] as const) {
        await health(sec, 0.002);
        s.act(step);
        await done(step);
      }
      rec.clock.at(45);
      s.decideGate('pre', 'go', 'backup verified');
      await shoot('gate go');
      await health(60, 0.003);
      s.act('shift');
      await done('shift');
      await health(75, 0.03, 0.26);
      rec.clock.at(80);
      s.act('watch');
      await done('watch');
      await shoot('watch failed');
      for (let sec = 85; sec <= 115; sec += 5) await health(sec, 0.06 + (sec - 85) / 2000, 0.3);
      await shoot('trigger firing, rollback recommended');
      rec.clock.at(125);
      s.confirmRollback('traffic');
      await rec.until((st) => Object.values(st.commands).some((c) => c.host === 'local' && c.endedAt === undefined));
      await shoot('rollback confirmed, running');
      await rec.until((st) => st.rollback.run?.finishedAt !== undefined);
      await shoot('rollback finished');
      await health(140, 0.004);
      rec.clock.at(150);
      s.note('traffic back on green');
      await s.end('rolled-back', 'errors on blue');
      await shoot('ended');
    } finally {
      live.unmount();
    }
    expect(verifyChain(path)).toMatchObject({ ok: true });

    const player = await openReplay(path, { paused: true });
    await player.index.run();
    const replay = renderSized(
      <App model={replayModel(player, { journalPath: path, color: false, onQuit: () => {} })} color={false} />,
      COLS,
      ROWS + 1,
    );
    try {
      const decisions = Array.from({ length: player.index.decisions.length }, (_, i) => player.index.decisions.at(i));
      expect(decisions.length).toBeGreaterThanOrEqual(5);
      for (const shot of shots) {
        while (player.position !== shot.count) {
          const next = decisions.find((d) => d >= player.position);
          const key = player.position > shot.count ? ',' : next !== undefined && next < shot.count ? 'n' : '.';
          const from = player.position;
          replay.press(key);
          await expect.poll(() => player.position).not.toBe(from);
        }
        expect(normalize(await stable(replay), true), shot.what).toEqual(normalize(shot.frame, false));
      }
    } finally {
      replay.unmount();
      player.index.close();
    }
    // The frames compared are the ones that matter: a running rollback, a recommendation, the end.
    const at = (what: string) => shots.find((x) => x.what === what)!.frame;
    expect(at('gate go')).toMatch(/GO by alice: backup verified/);
    expect(at('trigger firing, rollback recommended')).toMatch(/Level 1: traffic back to green.*◀ RECOMMENDED/);
    expect(at('rollback confirmed, running')).toMatch(/RUNNING traffic by alice/);
    expect(at('rollback confirmed, running')).toMatch(/local\s+running/);
    expect(at('ended')).toMatch(/■ rolled-back/);
  });
});
