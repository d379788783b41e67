/** `cutover follow` on a terminal: the read-only console on the alternate screen, following the journal until q. */
import { ask } from '../../live/client.js';
import { Approver } from '../../live/follow-approve.js';
import { pendingApprovals } from '../../live/follow-approvals.js';
import { followModel } from '../../live/follow-model.js';
import type { Follower } from '../../live/follow-tail.js';
import { socketPath } from '../../live/protocol.js';
import { IntegrityWatch } from '../../replay/integrity-watch.js';
import { allowStyles, CONSOLE_RENDER } from '../../ui/render-options.js';
import { guardTerminal } from '../run/screen.js';

/** The journal's path (shown in the status bar), colour, and who approves (--approve only). */
export interface FollowTtyOptions {
  path: string;
  color: boolean;
  approveAs?: string;
}

/** Shows the followed session until the person quits (q) or a signal arrives. */
/** How long an approval may take to be answered (journaled, fsynced, carried out). */
const APPROVE_TIMEOUT_MS = 15_000;

export async function followTty(follower: Follower, o: FollowTtyOptions): Promise<void> {
  const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('../../ui/App.js')]);
  allowStyles();
  const approver =
    o.approveAs !== undefined
      ? new Approver({
          by: o.approveAs,
          socket: socketPath(o.path),
          pending: () => pendingApprovals(follower.state),
          // An approval waits for the console's fsync and its action, not only its answer: more time than a hello.
          ask: (path, req) => ask(path, req, APPROVE_TIMEOUT_MS),
          changed: () => follower.changed(),
        })
      : undefined;
  // Replay's whole-file check (chain, head anchor, signature) of the journal as it was when the follower caught up: it finds what
  // the line-by-line chain cannot (a chain recomputed after an edit); lines written since are the follower's to check.
  const integrity = new IntegrityWatch(o.path, () => follower.changed(), follower.firstCatchUp);
  await new Promise<void>((resolve) => {
    let stopped = false;
    const finish = () => {
      if (stopped) return;
      stopped = true;
      integrity.stop();
      follower.stop();
      app.unmount();
      guard.dispose();
      resolve();
    };
    const guard = guardTerminal(
      process.stdout,
      () => app.unmount(),
      () => finish(),
      (err) => {
        process.stderr.write(`cutover follow: internal error: ${(err as Error)?.message ?? err}\n`);
        finish();
      },
    );
    const model = followModel(follower, {
      journalPath: o.path,
      color: o.color,
      integrity,
      ...(approver ? { approver } : {}),
      onQuit: finish,
    });
    const app = render(createElement(App, { model, color: o.color }), CONSOLE_RENDER);
    follower.start();
  });
}
