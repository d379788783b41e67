// The timeline's lines as data: given a session's events, when the pane asks for a window of the
// story or of every event, with or without a filter, then it gets exactly those lines.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { EventLog } from '../../src/session/event-log.js';
import { TimelineCache, timelineLines } from '../../src/ui/panes/timeline/rows.js';
import { plain } from '../../src/ui/rows.js';
import { at, started } from '../core/fixtures.js';

function log(): EventLog {
  const l = new EventLog(undefined);
  const events: SessionEvent[] = [
    started(),
    ...Array.from({ length: 30 }, (_, i) =>
      at(i + 1, { type: 'metric/sampled', panel: 'error_rate', at: 0, series: [{ labels: {}, value: 0.001 }] }),
    ),
    at(40, { type: 'note/added', operator: 'alice', text: 'watch (blue) [closely]' }),
    at(41, { type: 'trigger/firing', trigger: 'errors-high', value: 0.08, check: '> 0.05', since: 0 }),
  ];
  for (const e of events) l.push(e);
  return l;
}

const lines = (raw: boolean, filter: string, width = 100) =>
  timelineLines({ events: log(), cache: new TimelineCache(), raw, offset: 0, filter, width, height: 10, color: false }).lines.map(plain);

describe('timeline lines', () => {
  it.each([
    // view, filter, how many lines, the last one's text
    ['story', '', 3, /!! trigger errors-high FIRING: Error rate 8% > 5% for 30s \(critical\)$/],
    ['raw', '', 10, /!! trigger errors-high FIRING: 0\.08 > 0\.05$/],
    ['story', '(blue) [', 1, /· {2}note \(alice\): watch \(blue\) \[closely\]$/],
    ['raw', 'WATCH (BLUE', 1, /note \(alice\): watch/],
    ['story', 'trigger', 1, /FIRING/],
    ['story', 'error_rate =', 0, undefined],
    ['raw', 'error_rate =', 10, /· {2}error_rate = 0\.001$/],
  ] as const)('%s view, filter %j: %i lines', (view, filter, n, last) => {
    const got = lines(view === 'raw', filter);
    expect(got).toHaveLength(n);
    if (last) expect(got.at(-1)).toMatch(last);
  });

  it('the wall clock shows from 100 columns, T+ always', () => {
    expect(lines(false, '', 100)[0]).toMatch(/^22:00:00 T\+00:00 · {2}session started/);
    expect(lines(false, '', 99)[0]).toMatch(/^T\+00:00 · {2}session started/);
  });
});
