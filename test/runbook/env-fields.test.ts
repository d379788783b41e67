// `${VAR}` at validate time: every field cutover expands reports an unset variable as one
// `FILE:LINE:COL` line on the variable; a set one validates and stays unexpanded in the runbook
// (values are read when used, never journaled); commands belong to their shell and are left alone.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';

const V = '${CUTOVER_T_VAR}';
const PROM = 'prometheus: { url: "http://127.0.0.1:9090" }';

/** A small runbook with one part replaced. */
const runbook = (o: { top?: string; hosts?: string; step?: string; level?: string }) =>
  [
    'name: env',
    o.top ?? PROM,
    'hosts:',
    o.hosts ?? '  web: [web1.internal]',
    'phases:',
    '  - id: pre',
    '    title: Pre',
    '    steps:',
    `      - ${o.step ?? '{ id: s, title: S, manual: true }'}`,
    'rollback:',
    '  levels:',
    '    - id: undo',
    '      title: Undo',
    '      steps:',
    `        - ${o.level ?? '{ id: u, title: U, manual: true }'}`,
    '',
  ].join('\n');

/** `LINE:COL` of the only occurrence of `s` in `text`. */
function at(text: string, s: string): string {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(s) ? [`${i + 1}:${l.indexOf(s) + 1}`] : []));
  expect(hits).toHaveLength(1);
  return hits[0];
}

const FIELDS: [field: string, part: Parameters<typeof runbook>[0]][] = [
  ['prometheus.url', { top: `prometheus: { url: "http://127.0.0.1:${V}" }` }],
  ['prometheus.headers.X-Org', { top: `prometheus: { url: "http://127.0.0.1:9090", headers: { X-Org: "${V}" } }` }],
  ['prometheus.bearerToken', { top: `prometheus: { url: "http://127.0.0.1:9090", bearerToken: "${V}" }` }],
  ['prometheus.basicAuth.username', { top: `prometheus: { url: "http://127.0.0.1:9090", basicAuth: { username: "${V}", password: p } }` }],
  ['prometheus.basicAuth.password', { top: `prometheus: { url: "http://127.0.0.1:9090", basicAuth: { username: u, password: "${V}" } }` }],
  ['alertmanager.url', { top: `${PROM}\nalertmanager: { url: "http://127.0.0.1:${V}" }` }],
  ['alertmanager.headers.X-Org', { top: `${PROM}\nalertmanager: { url: "http://127.0.0.1:9093", headers: { X-Org: "${V}" } }` }],
  ['alertmanager.bearerToken', { top: `${PROM}\nalertmanager: { url: "http://127.0.0.1:9093", bearerToken: "${V}" }` }],
  [
    'alertmanager.basicAuth.password',
    { top: `${PROM}\nalertmanager: { url: "http://127.0.0.1:9093", basicAuth: { username: u, password: "${V}" } }` },
  ],
  ['ssh.user', { top: `${PROM}\nssh: { user: "${V}" }` }],
  ['ssh.identityFile', { top: `${PROM}\nssh: { identityFile: "~/.ssh/${V}" }` }],
  ['ssh.knownHosts', { top: `${PROM}\nssh: { knownHosts: "${V}/known_hosts" }` }],
  ['ssh.jump', { top: `${PROM}\nssh: { jump: "bastion-${V}.internal" }` }],
  ['a host in hosts.web', { hosts: `  web: ["app-${V}.internal"]` }],
  ['host of a host in hosts.web', { hosts: `  web: [{ host: "${V}" }]` }],
  ['user of a host in hosts.web', { hosts: `  web: [{ host: app1, user: "${V}" }]` }],
  ['identityFile of a host in hosts.web', { hosts: `  web: [{ host: app1, identityFile: "${V}" }]` }],
  ['jump of a host in hosts.web', { hosts: `  web: [{ host: app1, jump: "${V}" }]` }],
  [
    'http.headers.Authorization',
    { step: `{ id: s, title: S, http: { url: "http://127.0.0.1/", headers: { Authorization: "Bearer ${V}" } } }` },
  ],
  [
    'http.headers.Authorization',
    { level: `{ id: u, title: U, http: { url: "http://127.0.0.1/", headers: { Authorization: "Bearer ${V}" } } }` },
  ],
  ['http.url', { step: `{ id: s, title: S, http: { url: "http://127.0.0.1:${V}/" } }` }],
  ['local.cwd', { step: `{ id: s, title: S, local: { command: ["true"], cwd: "${V}" } }` }],
  ['local.env.TOKEN', { level: `{ id: u, title: U, local: { command: ["true"], env: { TOKEN: "${V}" } } }` }],
  ['the url of webhook 1 in notify', { top: `${PROM}\nnotify: [{ id: h, url: "https://127.0.0.1:${V}/", format: slack }]` }],
  [
    'the headers.X-Token of webhook 1 in notify',
    { top: `${PROM}\nnotify: [{ id: h, url: "https://h.example/x", format: json, headers: { X-Token: "${V}" } }]` },
  ],
];
const CASES = FIELDS.map(([field, part]) => ({
  field,
  part,
  where: part.top ? 'top' : part.hosts ? 'hosts' : part.step ? 'phase step' : 'rollback step',
}));

describe('${VAR} in the fields cutover expands', () => {
  it.each(CASES)('$field ($where): unset is one line on the variable', ({ field, part }) => {
    const text = runbook(part);
    const r = loadRunbookText('rb.yaml', text, {});
    expect(r.runbook).toBeUndefined();
    expect(r.problems.map(formatProblem)).toEqual([
      `rb.yaml:${at(text, V)}: ${field} uses ${V}, which is not set in the environment; export CUTOVER_T_VAR before running cutover`,
    ]);
  });

  it.each(CASES)('$field ($where): set, it validates and the runbook keeps ${VAR} unexpanded', ({ part }) => {
    // A port, so that it makes a valid URL too; it must not appear in the (journaled) runbook.
    const r = loadRunbookText('rb.yaml', runbook(part), { CUTOVER_T_VAR: '47613' });
    expect(r.problems).toEqual([]);
    expect(JSON.stringify(r.runbook)).toContain(V);
    expect(JSON.stringify(r.runbook)).not.toContain('47613');
  });

  it('url: http://127.0.0.1:${PORT} validates once PORT is set, and is checked as a URL after expansion', () => {
    const text = runbook({ top: 'prometheus: { url: "http://127.0.0.1:${PORT}" }' });
    expect(loadRunbookText('rb.yaml', text, { PORT: '9090' }).problems).toEqual([]);
    expect(loadRunbookText('rb.yaml', text, { PORT: 'ninety' }).problems.map(formatProblem)).toEqual([
      `rb.yaml:2:20: 'http://127.0.0.1:\${PORT}' is not an http(s) URL once its \${VAR} are expanded`,
    ]);
  });

  it('reports each unset variable of a string at its own column', () => {
    const text = runbook({ top: 'prometheus: { url: "http://${PROM_HOST}:${PROM_PORT}" }' });
    expect(loadRunbookText('rb.yaml', text, { PROM_PORT: '9090' }).problems.map(formatProblem)).toEqual([
      'rb.yaml:2:28: prometheus.url uses ${PROM_HOST}, which is not set in the environment; export PROM_HOST before running cutover',
    ]);
    expect(loadRunbookText('rb.yaml', text, {}).problems.map((p) => `${p.line}:${p.col}`)).toEqual(['2:28', '2:41']);
  });

  it('with no environment to check against (the demo), unset variables are not reported', () => {
    expect(loadRunbookText('rb.yaml', runbook({ top: `${PROM}\nssh: { user: "${V}" }` }), null).problems).toEqual([]);
  });

  it('a malformed ${VAR} in an expanded field is reported where it starts', () => {
    const text = runbook({ top: `${PROM}\nssh: { user: "\${CUTOVER-USER}" }` });
    expect(loadRunbookText('rb.yaml', text, {}).problems.map(formatProblem)).toEqual([
      `rb.yaml:${at(text, '${CUTOVER-USER}')}: malformed \${VAR}: write \${NAME} with letters, digits and _`,
    ]);
  });
});

describe('${VAR} where cutover does not expand it', () => {
  it.each([
    ['run.command', '{ id: s, title: S, run: { on: web, command: "echo ${CUTOVER_NOPE} ${1} ${CUTOVER_NOPE:-x}" } }'],
    ['local.command (argv)', '{ id: s, title: S, local: { command: [sh, -c, "echo ${CUTOVER_NOPE}"] } }'],
    ['local.command (shell)', '{ id: s, title: S, local: { command: "echo ${CUTOVER_NOPE}", shell: true } }'],
  ])('%s is left to the shell: no problem, and the command is kept as written', (_name, step) => {
    const r = loadRunbookText('rb.yaml', runbook({ step }), {});
    expect(r.problems).toEqual([]);
    expect(JSON.stringify(r.runbook!.phases[0].steps[0])).toContain('${CUTOVER_NOPE');
  });

  it("an http step's url is checked as it will be used, after its ${VAR} are expanded", () => {
    const text = runbook({ step: '{ id: s, title: S, http: { url: "${CUTOVER_T_LB}/healthz" } }' });
    expect(loadRunbookText('rb.yaml', text, { CUTOVER_T_LB: 'ftp://lb1' }).problems.map(formatProblem)).toEqual([
      `rb.yaml:${at(text, '"${CUTOVER_T_LB}')}: '\${CUTOVER_T_LB}/healthz' is not an http(s) URL once its \${VAR} are expanded`,
    ]);
    expect(loadRunbookText('rb.yaml', text, { CUTOVER_T_LB: 'http://lb1' }).problems).toEqual([]);
  });

  it('titles and other text keep ${VAR} as written, with no problem', () => {
    expect(loadRunbookText('rb.yaml', runbook({ step: '{ id: s, title: "Tell ${CUTOVER_NOPE}", manual: true }' }), {}).problems).toEqual(
      [],
    );
  });
});
