/** The live socket of a running console: `cutover mark` and a second approver reach the session through it. */
import { listenLive, type LiveServer, type LiveServerOptions } from '../../live/server.js';
import type { Session } from '../../session/session.js';
import { addMark } from '../../session/mark.js';

/**
 * Starts the session's live socket beside its journal. A socket that cannot start never stops the
 * deploy: the reason comes back instead, for one line on stderr (marks and approvals then find no session).
 */
export async function startLive(
  session: Session,
  journalPath: string,
  o: LiveServerOptions = {},
): Promise<{ server: LiveServer } | { error: string }> {
  try {
    const server = await listenLive(
      journalPath,
      {
        hello: () => {
          const s = session.state.session;
          return { id: s?.id ?? '', runbook: s?.runbook.name ?? '', operator: session.operator, journal: journalPath };
        },
        mark: (kind, text, source) => addMark(session, kind, text, source),
        approve: (a) => session.answerApproval(a),
      },
      o,
    );
    return { server };
  } catch (e) {
    return { error: `${(e as Error).message}; cutover mark and second approvals will not reach this session` };
  }
}
