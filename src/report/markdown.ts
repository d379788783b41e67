/** The report as markdown, for a post-mortem document: tables where people compare, lists where they read. */
import { formatDuration } from '../runbook/duration.js';
import { sanitizeLine } from '../core/controls.js';
import type { DecisionReport, IntegrityReport, Moment, Report, RollbackReport } from './types.js';

/** Renders a report; every journal string is stripped of control characters and made table-safe. */
export function renderMarkdown(r: Report): string {
  const s = r.summary;
  const out: string[] = [`# Post-mortem: ${inline(s.runbook)}`, '', ...integrity(r.integrity)];
  out.push(
    ...table(
      ['', ''],
      [
        ['Runbook', `${s.runbook} (${s.runbookPath})`],
        ['Operator', s.operator + (s.mode === 'demo' ? ' (demo)' : '')],
        ['Started', when(s.start)],
        ['Ended', s.end ? `${when(s.end)} (${s.end.elapsed})` : 'never: the journal stops without an end (crash, or still running)'],
        ['Duration', formatDuration(s.durationMs)],
        [
          'Outcome',
          `**${s.outcome}**${s.recordedOutcome ? ` (recorded as ${s.recordedOutcome})` : ''}${!s.end && s.outcome !== 'unfinished' ? ' (unfinished)' : ''}${s.endReason ? ` (${s.endReason})` : ''}`,
        ],
        ...(s.resumed.length ? [['Resumed', s.resumed.map((m) => `${when(m)} (${m.elapsed}) by ${m.operator}`).join(', ')]] : []),
        [
          'Journal',
          `${r.journal}: ${s.events} events${s.skippedLines ? `, ${s.skippedLines} line${s.skippedLines === 1 ? '' : 's'} skipped (see the top)` : ''}`,
        ],
        [
          'Integrity',
          `${r.integrity.intact ? 'intact' : '**NOT INTACT** (see the top)'}${r.integrity.checked.length ? ` (${r.integrity.checked.join('; ')})` : ''}${r.integrity.notes.map((n) => `; note: ${n}`).join('')}`,
        ],
      ],
    ),
  );

  out.push('## Phases: planned vs actual', '');
  out.push(
    ...table(
      ['Phase', 'Status', 'Planned', 'Actual', ''],
      r.phases.map((p) => [p.title, p.status, dur(p.plannedMs), dur(p.actualMs), p.late ? '**late**' : '']),
    ),
  );
  const odd = r.phases.flatMap((p) =>
    p.steps
      .filter((st) => st.status !== 'passed' || st.attempts > 1)
      .map(
        (st) =>
          `- ${inline(p.title)} / ${inline(st.title)}: ${st.status}${st.attempts > 1 ? ` after ${st.attempts} tries` : ''}${st.note ? `: ${inline(st.note)}` : ''}${st.earlier ? ` (before: ${st.earlier.map(inline).join('; ')})` : ''}`,
      ),
  );
  if (odd.length) out.push('Steps that did not simply pass:', '', ...odd, '');

  out.push('## Gate decisions', '');
  out.push(
    ...(r.gates.length
      ? table(
          ['When', 'Gate', 'Decision', 'Who', 'Why'],
          r.gates.map((g) => [
            g.elapsed,
            g.title,
            g.decision.toUpperCase(),
            g.approvedBy ? `${g.operator}, approved by ${g.approvedBy}` : g.operator,
            g.reason ?? '',
          ]),
        )
      : ['None.', '']),
  );

  out.push('## Triggers', '');
  out.push(
    ...(r.triggers.length
      ? table(
          ['Fired', 'Trigger', 'Severity', 'Measured', 'Check', 'Holding since', 'Recommends'],
          r.triggers.map((t) => [
            t.elapsed,
            t.trigger,
            t.severity ?? '',
            t.value,
            // The condition in the panel's unit, like the measured value next to it.
            t.threshold ?? t.check,
            t.holdingSince,
            t.recommend ?? '',
          ]),
        )
      : ['None fired.', '']),
  );

  if (r.judgments) {
    out.push('## Canary judgments', '');
    for (const j of r.judgments) {
      out.push(`- ${j.elapsed} ${inline(j.text)}${j.decision?.reason ? `: ${inline(j.decision.reason)}` : ''}`);
      if (j.metrics.length)
        out.push(
          '',
          ...table(
            ['Panel', 'Class', 'Figures', 'Why'],
            j.metrics.map((m) => [m.title, m.class, m.figures, m.why]),
          ),
        );
    }
    out.push('');
  }

  out.push('## Rollbacks', '');
  if (!r.rollbacks.length) out.push('None.', '');
  for (const rb of r.rollbacks) out.push(...rollback(rb));

  out.push('## Notes', '');
  out.push(...(r.notes.length ? [...r.notes.map((n) => `- ${n.elapsed} ${inline(n.operator)}: ${inline(n.text)}`), ''] : ['None.', '']));

  out.push('## Timeline', '');
  out.push(
    ...(r.timeline.length ? [...r.timeline.map((l) => `- ${l.elapsed} ${l.mark} ${inline(l.text)}`), ''] : ['Nothing happened.', '']),
  );

  out.push('## Health at each decision', '');
  if (!r.decisions.length) out.push('No decisions were recorded.', '');
  for (const d of r.decisions) out.push(...decision(d));
  return out.join('\n').replace(/\n+$/, '\n');
}

/** The warnings at the top: a journal that is not intact, lines not taken as fact. Nothing when all is well. */
function integrity(i: IntegrityReport): string[] {
  const out: string[] = [];
  if (!i.intact) {
    out.push(
      '> **NOT INTACT**: this journal was changed after it was written (`cutover verify` tells more); nothing below is proof of what happened.',
      '>',
      ...i.problems.map((p) => `> - ${inline(p)}`),
      ...i.notes.map((n) => `> - note: ${inline(n)}`),
      '',
    );
  }
  if (i.lines.length) {
    const n = i.lines.length;
    out.push(
      `> **${n} line${n === 1 ? '' : 's'} not taken as fact**: a skipped line is left out of everything below; a flagged one is shown.`,
      '>',
      ...i.lines.map((l) => `> - ${inline(l.at)}: ${inline(l.message)}; ${l.skipped ? 'skipped' : 'shown, flagged'}`),
      '',
    );
  }
  return out;
}

function rollback(rb: RollbackReport): string[] {
  const out = [`### ${inline(rb.title)} (${inline(rb.level)})`, ''];
  out.push(`- Confirmed by ${inline(rb.operator)}${rb.auto ? ' (automatic, after the countdown)' : ''} at ${rb.elapsed} (${when(rb)})`);
  out.push(
    `- Result: **${rb.status}**; expected ${dur(rb.expectedMs)}, actual ${dur(rb.actualMs)}${rb.status === 'interrupted' ? (rb.interruptedBy === 'end' ? ' (until the session ended)' : ' (until the restart)') : ''}${rb.expectedMs !== undefined && rb.actualMs !== undefined && rb.actualMs > rb.expectedMs ? ' (over)' : ''}`,
  );
  if (rb.aborted)
    out.push(
      `- Aborted by ${inline(rb.aborted.operator)} at ${rb.aborted.elapsed}${rb.aborted.reason ? `: ${inline(rb.aborted.reason)}` : ''}`,
    );
  if (rb.interruptedBy === 'restart')
    out.push('- The console restarted during this rollback: the outcome of the commands in flight is unknown.');
  if (rb.interruptedBy === 'end') out.push('- The session ended while this rollback ran: its commands were cancelled; check the hosts.');
  for (const st of rb.steps) out.push(`- Step ${inline(st.title)}: ${st.status}${st.error ? `: ${inline(st.error)}` : ''}`);
  out.push('');
  if (rb.hosts.length)
    out.push(
      ...table(
        ['Host', 'Step', 'Result', 'Exit', 'Time', 'Error'],
        rb.hosts.map((h) => [h.host, h.step, h.result, h.code === undefined ? '' : String(h.code ?? '-'), dur(h.ms), h.error ?? '']),
      ),
    );
  return out;
}

function decision(d: DecisionReport): string[] {
  const out = [`### ${d.elapsed} ${inline(d.what)}`, ''];
  if (!d.health.length) return [...out, 'No health panels.', ''];
  return [
    ...out,
    ...table(
      ['Panel', 'Value', 'Status'],
      d.health.map((h) => [h.title, h.value, h.status]),
    ),
  ];
}

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ];
}

/** Text for a table cell: one line, no control characters, pipes escaped. */
function cell(s: string): string {
  return sanitizeLine(s).replace(/\|/g, '\\|');
}

/** Text in a heading or list item: one line, no control characters. */
function inline(s: string): string {
  return sanitizeLine(s);
}

function when(m: Moment): string {
  return m.at.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function dur(ms: number | undefined): string {
  return ms === undefined ? '–' : formatDuration(ms);
}
