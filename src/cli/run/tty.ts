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
    const finish = (outcome?: Parameters<Session['end']>[0], reason?: string) => {
      if (finishing) return;
      finishing = true;
      void session.end(outcome, reason).finally(() => {
        app.unmount();
        screen.restore();
        resolve(exitCodeOf(session.state.session?.outcome ?? outcome ?? 'quit'));
      });
    };
    const screen = enterAltScreen(
      process.stdout,
      (sig) => finish(session.busy() ? 'aborted' : undefined, `${sig} received`),
      (err) => {
        process.stderr.write(`cutover: internal error: ${(err as Error)?.message ?? err}\n`);
        finish('aborted', `internal error: ${(err as Error)?.message ?? err}`);
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
