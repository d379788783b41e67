/** `cutover replay` on a terminal: the read-only console on the alternate screen, indexing in the background. */
import { replayModel } from '../../replay/model.js';
import type { Player } from '../../replay/player.js';
import { allowStyles, CONSOLE_RENDER } from '../../ui/render-options.js';
import { guardTerminal } from '../run/screen.js';

/** The journal's path (shown in the status bar) and whether colour is on. */
export interface ReplayTtyOptions {
  path: string;
  color: boolean;
}

/** Index progress redraws the bar at most this often: drawing costs time the indexing needs. */
const PROGRESS_MS = 200;

/** Shows the replay until the operator quits (q) or a signal arrives. */
export async function replayTty(player: Player, o: ReplayTtyOptions): Promise<void> {
  const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('../../ui/App.js')]);
  allowStyles();
  await new Promise<void>((resolve) => {
    let last = 0;
    let stopped = false;
    const indexing = player.index
      .run(() => {
        if (stopped || performance.now() - last < PROGRESS_MS) return;
        last = performance.now();
        player.changed();
      })
      .then(
        () => !stopped && player.changed(),
        () => {},
      );
    const stopTimer = player.run();
    const finish = () => {
      if (stopped) return;
      stopped = true;
      stopTimer();
      player.index.cancel();
      app.unmount();
      guard.dispose();
      void indexing.finally(resolve);
    };
    const guard = guardTerminal(
      process.stdout,
      () => app.unmount(),
      () => finish(),
      (err) => {
        process.stderr.write(`cutover replay: internal error: ${(err as Error)?.message ?? err}\n`);
        finish();
      },
    );
    const model = replayModel(player, { journalPath: o.path, color: o.color, onQuit: finish });
    const app = render(createElement(App, { model, color: o.color }), CONSOLE_RENDER);
  });
}
