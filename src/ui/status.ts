/** The status bar and footer as lines (pure), so the non-TTY mode and tests share them. */
import { selectAlert, selectStatus } from '../core/select-status.js';
import type { SessionState } from '../core/state.js';
import { available, keyLabel, type Binding } from './keys/bindings.js';
import { fit, lineWidth, type Line } from './rows.js';
import type { Color } from './theme.js';

export interface StatusInput {
  state: SessionState;
  now: number;
  journalPath?: string;
  connections: number;
  metricsSource?: string;
  readOnly: boolean;
  width: number;
  color: boolean;
  /** Why the journal cannot write now: the recording mark becomes a red NOT RECORDING with this reason. */
  notRecording?: string;
  /** The session is ending: cancelling what runs and recording how it ended. */
  ending?: boolean;
  /** A read-only mode's mark instead of REPLAY (the follower's). */
  mark?: string;
}

/** The one-line status bar: runbook, T+elapsed, Prometheus, SSH, journal, recording mark. */
export function statusLine(inp: StatusInput): Line {
  const c = (k: Color): Color => (inp.color ? k : undefined);
  const st = selectStatus(inp.state, inp.now);
  const prom = st.prometheus === 'none' ? 'no prometheus' : `${inp.metricsSource ?? 'prometheus'} ${st.prometheus}`;
  const promColor = st.prometheus === 'ok' ? 'green' : st.prometheus === 'degraded' ? 'yellow' : st.prometheus === 'down' ? 'red' : 'gray';
  const alert = selectAlert(inp.state, inp.now);
  const loud = alert && ['rolling-back', 'countdown', 'approval', 'recommended', 'rollback-failed'].includes(alert.kind);
  const mark = inp.readOnly
    ? (inp.mark ?? '▶ REPLAY')
    : inp.notRecording !== undefined
      ? `NOT RECORDING: ${inp.notRecording}`
      : st.ended
        ? `■ ${st.ended}`
        : inp.ending
          ? '■ ENDING: cancelling, recording…'
          : '● REC';
  return fit(
    [
      // Only the alarms are inverse (NOT RECORDING, ENDING): recording as usual is a plain red dot.
      { text: ` ${mark} `, bold: true, inverse: mark !== '● REC', color: c(inp.readOnly ? 'blue' : 'red') },
      ...(alert
        ? [
            {
              text: ` ${alert.text}${alert.key && !inp.readOnly ? `  [${alert.key}]` : ''} `,
              bold: true,
              inverse: Boolean(loud),
              color: c(
                alert.kind === 'rolled-back'
                  ? 'green'
                  : alert.kind === 'pending' || alert.kind === 'firing' || alert.kind === 'approval'
                    ? 'yellow'
                    : 'red',
              ),
            },
          ]
        : []),
      { text: ` ${st.runbook} `, bold: true },
      { text: ` ${st.elapsed} `, color: c('cyan') },
      { text: ` ${prom} `, color: c(promColor) },
      { text: ` ssh ${inp.connections} `, dim: inp.connections === 0 },
      { text: st.running ? ` ${st.running} running ` : '', color: c('cyan') },
      { text: inp.journalPath ? ` ${inp.journalPath}` : '', dim: true },
    ],
    inp.width,
  );
}

/** The footer: the focused pane's bindings and the global ones, generated from the tables. */
export function footerLine(pane: Binding[], global: Binding[], readOnly: boolean, width: number, color: boolean, flash?: string): Line {
  if (flash) return fit([{ text: ` ${flash} `, inverse: true, color: color ? 'yellow' : undefined }], width);
  const all = [...available(pane, readOnly), ...available(global, readOnly)].filter((b) => !b.helpOnly);
  const shown = [...all.filter((b) => b.urgent), ...all.filter((b) => !b.urgent)];
  const entry = (b: Binding): Line => [
    {
      text: keyLabel(b.keys[0]),
      bold: !b.disabledReason,
      color: color && !b.disabledReason ? (b.dangerous ? 'red' : 'cyan') : undefined,
      dim: Boolean(b.disabledReason),
    },
    { text: ` ${b.description}  `, dim: Boolean(b.disabledReason) },
  ];
  // Whole entries, in order, while they fit; `?` (which lists the rest) keeps its place at the end.
  const help = shown.find((b) => b.keys.includes('?'));
  const last = help ? entry(help) : [];
  const out: Line = [];
  let room = width - lineWidth(last);
  for (const b of shown) {
    if (b === help) continue;
    const e = entry(b);
    // The first entry is always there, cut if it must be (an urgent key such as R or c).
    if (lineWidth(e) > room + (help ? 0 : 2) && out.length) break;
    out.push(...e);
    room -= lineWidth(e);
  }
  return fit([...out, ...last], width);
}

/** The `?` overlay: every binding of every pane and the global ones, with why disabled ones are. */
export function helpLines(
  sections: { title: string; bindings: Binding[] }[],
  readOnly: boolean,
  width: number,
  dialogs: { title: string; hint: string }[] = [],
): Line[] {
  const out: Line[] = [];
  for (const s of sections) {
    const bs = available(s.bindings, readOnly);
    if (!bs.length) continue;
    out.push([{ text: s.title, bold: true }]);
    for (const b of bs)
      out.push(
        fit(
          [
            { text: `  ${b.keys.map(keyLabel).join('/').padEnd(12)} `, bold: true },
            { text: b.description },
            { text: b.dangerous ? '  (asks to confirm)' : '', dim: true },
            { text: b.disabledReason ? `  (now: ${b.disabledReason})` : '', dim: true },
          ],
          width,
        ),
      );
  }
  // Dialogs, one line each (their own hint line says the same when one is open).
  if (dialogs.length) out.push([{ text: 'In dialogs', bold: true }]);
  for (const d of dialogs) out.push(fit([{ text: `  ${d.title.padEnd(19)}`, bold: true }, { text: d.hint }], width));
  return out;
}
