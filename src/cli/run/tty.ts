/** `cutover run` on a terminal: the Ink console on the alternate screen. Ink and React load only here. */
import type { Session } from '../../session/session.js';
import { sessionModel } from '../../ui/session-model.js';
import { enterAltScreen } from './screen.js';
import { exitCodeOf } from './exit.js';

export interface TtyOptions {
  layout?: string;
  color: boolean;
  journalPath?: string;
  metricsSource?: string;
}

/** Shows the console until the operator quits (or a signal ends it); resolves with the exit code. */
export async function runTty(session: Session, o: TtyOptions): Promise<number> {
  const { loadInteractive, installInkPatches, markAltScreen } = await import('../../ui/ink-patches.js');
  const [{ render }, { createElement }, { App }] = await loadInteractive(() => Promise.all([import('ink'), import('react'), import('../../ui/App.js')]));
  await installInkPatches();
  markAltScreen(process.stdout);
  return new Promise<number>((resolve) => {
    let finishing = false;
    const finish = (reason?: string, signal = false) => {
      if (finishing) return;
      finishing = true;
      void session.end(undefined, reason, { signal }).finally(() => {
        try {
          app.unmount();
        } catch {
          /* a dead terminal: the ending is recorded, the screen is gone anyway */
        }
        screen.dispose();
        resolve(exitCodeOf(session.state.session?.outcome ?? 'quit'));
      });
    };
    const screen = enterAltScreen(
      process.stdout,
      (sig) => finish(`${sig} received`, true),
      (err) => {
        try {
          process.stderr.write(`cutover: internal error: ${(err as Error)?.message ?? err}\n`);
        } catch {
          /* stderr may be the dead terminal too */
        }
        finish(`internal error: ${(err as Error)?.message ?? err}`, true);
      },
    );
    const model = sessionModel(session, {
      ...(o.journalPath ? { journalPath: o.journalPath } : {}),
      ...(o.metricsSource ? { metricsSource: o.metricsSource } : {}),
      onQuit: () => finish(),
    });
    const app = render(createElement(App, { model, color: o.color, ...(o.layout ? { layout: o.layout } : {}) }), {
      incrementalRendering: true,
      maxFps: 30,
      patchConsole: false,
      exitOnCtrlC: false,
    });
  });
}
