/**
 * A simulated host's sandbox: the directory its commands run in (cwd and HOME), holding the
 * state the fixture tools change and the simulated app reads back. Layout:
 *
 *   .demo                 host, role, pool, stable release, service name (read by the tools)
 *   .env                  feature flags and settings, read by the app when it (re)starts
 *   releases/VERSION/     installed releases; `current` links to the running one (the stable
 *                         release, or the new one on an idle pool that no step deploys)
 *   src/HEAD, src/tags/   the checked-out version, the `stable` tag
 *   data/, backups/       the app's state and its backup archives
 *   run/state             running | stopped; run/generation counts (re)starts; run/health
 *   lb/weights            POOL PERCENT lines (load balancers); db/schema_version (databases)
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FleetPlan, PlannedHost } from './plan.js';

/** The schema version the demo database starts at. */
export const DB_SCHEMA = 41;

/** Where the fixture tools live in the source tree (beside this file, or beside its source once compiled). */
export function toolsSourceDir(): string {
  return fileURLToPath(new URL('../../src/demo/tools/', import.meta.url));
}

/** Copies the fixture tools into `dest` (the directory first on every host's PATH). */
export function installTools(dest: string): void {
  const src = toolsSourceDir();
  let names: string[];
  try {
    names = readdirSync(src);
  } catch {
    throw new Error(`the demo's fixture tools are missing (${src}); run cutover demo from a checkout of the cutover repository`);
  }
  mkdirSync(dest, { recursive: true, mode: 0o755 });
  for (const n of names) {
    copyFileSync(join(src, n), join(dest, n));
    chmodSync(join(dest, n), n.endsWith('.sh') ? 0o644 : 0o755);
  }
}

/** The name of the service a host of this role runs. */
export function serviceName(h: PlannedHost): string {
  return { app: 'app', staging: 'app', lb: 'haproxy', db: 'postgres', tool: 'runner' }[h.role];
}

/** Creates the sandbox of `host` under `dir` in its starting state. */
export function createSandbox(dir: string, host: PlannedHost, plan: FleetPlan): void {
  const w = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text.endsWith('\n') ? text : `${text}\n`);
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  w(
    '.demo',
    [`host=${host.name}`, `role=${host.role}`, `pool=${host.pool ?? ''}`, `stable=${plan.stable}`, `service=${serviceName(host)}`].join(
      '\n',
    ),
  );
  w('run/state', 'running');
  w('run/generation', '1');
  mkdirSync(join(dir, 'backups'), { recursive: true });
  w('data/README', `State of ${host.name}; backups archive this directory.`);
  if (host.role === 'app' || host.role === 'staging' || host.role === 'tool') {
    // An idle pool that no step deploys already runs the new release; the stable one stays
    // installed beside it (and is `previous`), so a rollback can activate it.
    const release = host.release ?? plan.stable;
    w(`releases/${plan.stable}/VERSION`, plan.stable);
    if (release !== plan.stable) {
      w(`releases/${release}/VERSION`, release);
      w('previous', plan.stable);
    }
    symlinkSync(`releases/${release}`, join(dir, 'current'));
    w('src/HEAD', release);
    w('src/tags/stable', plan.stable);
    w('.env', [`APP_ENV=${host.role === 'staging' ? 'staging' : 'production'}`, 'LOG_LEVEL=info'].join('\n'));
    w('data/orders.db', 'orders 120412\ncustomers 48211');
  }
  if (host.role === 'lb') {
    mkdirSync(join(dir, 'lb'), { recursive: true });
    writeFileSync(
      join(dir, 'lb/weights'),
      Object.entries(plan.weights)
        .map(([p, v]) => `${p} ${v}\n`)
        .join(''),
    );
  }
  if (host.role === 'db') {
    w('db/schema_version', String(DB_SCHEMA));
    w('db/migrations.log', `schema ${DB_SCHEMA} (start of the demo)`);
  }
}
