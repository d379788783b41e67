// The console's metrics scraped by a real Prometheus: the session shows up, a gate decision and a
// rollback are queryable, and the README's alerting rule fires while the rollback runs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { holdingExecutors, liveWithMetrics, type LiveMetrics } from './session.js';

const prometheusBin = needBinary('prometheus', 'prometheus');

/** The README's example rules (the yaml block that holds CutoverRollbackInProgress): what we document is what we test. */
function readmeRules(): string {
  const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const rules = blocks.find((b) => b.includes('CutoverRollbackInProgress'));
  if (!rules) throw new Error('README.md has no yaml block with the CutoverRollbackInProgress rule');
  return rules;
}

describe.skipIf(!prometheusBin)('metrics scraped by a real Prometheus', () => {
  let prom: PrometheusServer;
  let live: LiveMetrics;
  const exec = holdingExecutors();

  beforeAll(async () => {
    live = await liveWithMetrics(exec);
    prom = await startPrometheus({ bin: prometheusBin!, targets: [`127.0.0.1:${live.m.address.port}`], rules: readmeRules() });
  });
  afterAll(async () => {
    exec.release();
    await live?.stop();
    await prom?.stop();
  });

  const series = async (q: string) => {
    const r = await prom.query(q);
    return (r.data?.result ?? []) as { metric: Record<string, string>; value: [number, string] }[];
  };

  it('cutover_session_info, then a gate decision, then a rollback in progress (and its alert), then the rollback counted', async () => {
    const { s } = live;
    await prom.waitForSeries('cutover_session_info', 30_000);
    expect((await series('cutover_session_info'))[0].metric).toMatchObject({
      runbook: 'checkout-api v2.1.0 (blue-green)',
      operator: 'alice',
      session_id: s.state.session!.id,
      mode: 'live',
      job: 'app',
    });

    expect(s.act('backup')).toBeUndefined();
    for (const step of ['green-health', 'err-low', 'lb-up']) expect(s.skip(step, 'checked by hand')).toBeUndefined();
    // The tick is launched, not folded at once: wait for it as the console's frame would.
    await expect.poll(() => s.state.steps.backup?.status).toBe('passed');
    await s.store.settled();
    expect(s.decideGate('pre', 'go', '')).toBeUndefined();
    await prom.waitForSeries('cutover_gate_decision{phase="pre",decision="go"} == 1');
    expect(await series('cutover_gate_decision{phase="pre",decision="undecided"} == 1')).toEqual([]);

    expect(s.confirmRollback('traffic')).toBeUndefined();
    await prom.waitForSeries('cutover_rollback_in_progress{level="traffic"} == 1');
    await prom.waitForSeries('ALERTS{alertname="CutoverRollbackInProgress",alertstate="firing",level="traffic"}');

    exec.release();
    await prom.waitForSeries('cutover_rollbacks_total{level="traffic",outcome="ok"} == 1');
    await prom.waitForSeries('cutover_rollback_in_progress{level="traffic"} == 0');
  }, 60_000);
});
