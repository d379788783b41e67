// Reference procedure (b), driven by keys through its checklist: the schema migrates, the API and
// web hosts take the new release, the error rate passes 10%, errors-critical recommends procedure
// B (code and database: the deploy migrated the schema) at once, and 4 R Y puts both services back
// on v2025.10.3 and the schema back to 41. The fix-forward band (0.5-2%) fires too, and only informs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRolledBack, type Driven, journal, operate, quit, rollBack, startDriven } from './drive.js';

describe('demo: checklist with four rollback procedures (procedure b)', () => {
  it('degrade: errors above 10% recommend procedure B, which rolls both services and the schema back', async () => {
    const d = await startDriven('checklist-four-procedures.yaml', { timeScale: 120 });
    let closed: Awaited<ReturnType<Driven['close']>> | undefined;
    try {
      await operate(d, 'deploy-web');
      await rollBack(d, 'errors-critical', 'code-and-db');
      for (const h of ['api-1.internal', 'api-2.internal', 'web-1.internal', 'web-2.internal'])
        expect(readFileSync(join(d.demo.root, 'hosts', h, 'run', 'health'), 'utf8')).toMatch(/v2025\.10\.3/);
      // Procedure B takes the schema back too, after a backup of it as it was.
      expect(readFileSync(join(d.demo.root, 'hosts', 'db-1.internal', 'db', 'schema_version'), 'utf8').trim()).toBe('41');
      await quit(d);
    } finally {
      closed = await d.close();
    }
    expect(existsSync(d.demo.root)).toBe(false);
    const events = journal(closed);
    assertRolledBack(events, { trigger: 'errors-critical', beyond: (v) => v > 0.1, level: 'code-and-db', operator: 'alice' });
    // Fixing forward informs: errors-low fired, and no recommendation ever came from it.
    expect(events.some((e) => e.type === 'trigger/firing' && e.trigger === 'errors-low')).toBe(true);
    expect(events.filter((e) => e.type === 'rollback/recommended').map((e) => (e as { trigger: string }).trigger)).not.toContain(
      'errors-low',
    );
    // Every step of the five phases up to the web deploy passed (7 + 4 + 4 + 3 + 2).
    expect(events.filter((e) => e.type === 'step/passed').length).toBe(20);
  }, 90_000);
});
