/** `cutover run` on a terminal: the Ink console on the alternate screen. Ink and React load only here. */
import type { Session } from '../../session/session.js';
import type { ConsoleHint } from '../../ui/model.js';
import { sessionModel } from '../../ui/session-model.js';
import { allowStyles, CONSOLE_RENDER } from '../../ui/render-options.js';
import { guardTerminal } from './screen.js';
import { exitCodeOf } from './exit.js';

export interface TtyOptions {
  layout?: string;
  color: boolean;
  journalPath?: string;
  metricsSource?: string;
  hint?: ConsoleHint;
}

/** Shows the console until the operator quits (or a signal ends it); resolves with the exit code. */
export async function runTty(session: Session, o: TtyOptions): Promise<number> {
  const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('../../ui/App.js')]);
  allowStyles();
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
        guard.dispose();
        resolve(exitCodeOf(session.state.session?.outcome ?? 'quit'));
      });
    };
    const guard = guardTerminal(
      process.stdout,
      () => app.unmount(),
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
      ...(o.hint ? { hint: o.hint } : {}),
      onQuit: () => finish(),
    });
    const app = render(createElement(App, { model, color: o.color, ...(o.layout ? { layout: o.layout } : {}) }), CONSOLE_RENDER);
  });
}
