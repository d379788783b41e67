// Which values are secret (credential ${VAR} and the secrets: list), how validate checks the list,
// and one credential source per request: every problem a `FILE:LINE:COL` line on the right spot.
import { describe, expect, it } from 'vitest';
import { runbookJsonSchema } from '../../src/cli/schema.js';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';
import { MIN_SECRET_LENGTH, secretNames, secretValues } from '../../src/runbook/secrets.js';

const text = (top: string, step = '{ id: s, title: S, manual: true }') =>
  ['name: secrets', top, 'phases:', '  - id: pre', '    title: Pre', '    steps:', `      - ${step}`, ''].join('\n');

const problems = (t: string, env: NodeJS.ProcessEnv | null = {}) => loadRunbookText('rb.yaml', t, env).problems.map(formatProblem);

describe('secret values', () => {
  const rb = text(
    [
      'prometheus:',
      '  url: "http://${PROM_HOST}:9090"',
      '  headers: { X-Api-Key: "${APIKEY}", X-Scope-OrgID: "${TENANT}" }',
      '  bearerToken: "${PROM_TOKEN}"',
      'alertmanager:',
      '  url: http://127.0.0.1:9093',
      '  basicAuth: { username: "${AM_USER}", password: "${AM_PASS}" }',
      'secrets: [DEPLOY_TOKEN]',
    ].join('\n'),
    '{ id: s, title: S, http: { url: "http://x/", headers: { Authorization: "Bearer ${PROBE_TOKEN}" } } }',
  );
  const data = loadRunbookText('rb.yaml', rb, null).runbook;

  it('are those of credential fields and the secrets list; urls, user names and commands are not credentials', () => {
    expect(secretNames(data).sort()).toEqual(['AM_PASS', 'APIKEY', 'DEPLOY_TOKEN', 'PROBE_TOKEN', 'PROM_TOKEN', 'TENANT']);
  });

  it('leave out unset and empty variables', () => {
    expect(secretValues(data, { APIKEY: 'key-1234567890', DEPLOY_TOKEN: '', PROM_HOST: 'prometheus.internal' })).toEqual([
      'key-1234567890',
    ]);
  });
});

describe('credentials written out in the runbook', () => {
  it('are secret values too: a bearerToken, a password, a credential header; not a header such as Content-Type', () => {
    const rb = text(
      [
        'prometheus:',
        '  url: http://127.0.0.1:9090',
        '  bearerToken: s3cr3tT0kenValue99',
        '  headers: { Content-Type: application/json }',
        'alertmanager:',
        '  url: http://127.0.0.1:9093',
        '  headers: { X-Api-Key: literal-api-key-42 }',
      ].join('\n'),
      '{ id: s, title: S, manual: true }',
    );
    const data = loadRunbookText('rb.yaml', rb, {}).runbook;
    expect(secretValues(data, {}).sort()).toEqual(['literal-api-key-42', 's3cr3tT0kenValue99']);
  });
});

describe('the secrets list', () => {
  const rb = text('secrets: [DEPLOY_TOKEN, OTHER_TOKEN]');

  it('validates when every listed variable is set', () => {
    expect(problems(rb, { DEPLOY_TOKEN: 'x'.repeat(MIN_SECRET_LENGTH), OTHER_TOKEN: 'y'.repeat(40) })).toEqual([]);
  });

  it('refuses an unset variable (a typo would leave the real one unredacted), on its list item', () => {
    expect(problems(rb, { DEPLOY_TOKEN: 'x'.repeat(20) })).toEqual([
      'rb.yaml:2:25: secrets lists OTHER_TOKEN, which is not set in the environment; export OTHER_TOKEN before running cutover, or remove it from secrets',
    ]);
  });

  it(`refuses a value shorter than ${MIN_SECRET_LENGTH} characters, saying why`, () => {
    expect(problems(rb, { DEPLOY_TOKEN: 'hunter2', OTHER_TOKEN: 'y'.repeat(40) })).toEqual([
      `rb.yaml:2:11: the value of DEPLOY_TOKEN is shorter than ${MIN_SECRET_LENGTH} characters, too short to redact without hiding ordinary output; use a longer secret, or a redact pattern that matches where it appears`,
    ]);
  });

  it('refuses what is not a variable name; the environment is not checked when there is none (the demo)', () => {
    expect(problems(text('secrets: [DEPLOY_TOKEN, "$X"]'), null)).toEqual([
      'rb.yaml:2:25: a secrets entry is an environment variable name, like GITHUB_TOKEN (letters, digits and _)',
    ]);
    expect(problems(rb, null)).toEqual([]);
  });

  it('is in the JSON Schema', () => {
    const props = (runbookJsonSchema() as { properties: Record<string, { type?: string }> }).properties;
    expect(props.secrets?.type).toBe('array');
  });
});

describe('one credential source per request', () => {
  const env = { T: 'token-1234567890', P: 'password-123456' };
  it.each([
    [
      'bearerToken and an Authorization header, any case',
      'prometheus:\n  url: http://127.0.0.1:9090\n  bearerToken: "${T}"\n  headers: { AUTHORIZATION: "Bearer ${T}" }',
      'rb.yaml:5:14: prometheus sets both bearerToken and headers.AUTHORIZATION; a request carries one Authorization header, so keep only one of them',
    ],
    [
      'basicAuth and an Authorization header',
      'alertmanager:\n  url: http://127.0.0.1:9093\n  headers: { Authorization: "Bearer ${T}" }\n  basicAuth: { username: u, password: "${P}" }',
      'rb.yaml:4:14: alertmanager sets both basicAuth and headers.Authorization; a request carries one Authorization header, so keep only one of them',
    ],
    [
      'credentials in the url and bearerToken',
      'prometheus:\n  url: "http://ops:${P}@127.0.0.1:9090"\n  bearerToken: "${T}"',
      'rb.yaml:4:3: prometheus sets both credentials in url and bearerToken; a request carries one Authorization header, so keep only one of them',
    ],
  ])('refuses %s', (_, top, want) => {
    expect(problems(text(top), env)).toEqual([want]);
  });

  it('accepts one source, and an Authorization header on an http step', () => {
    expect(problems(text('prometheus:\n  url: http://127.0.0.1:9090\n  headers: { Authorization: "Bearer ${T}" }'), env)).toEqual([]);
    expect(problems(text('prometheus:\n  url: http://127.0.0.1:9090\n  bearerToken: "${T}"'), env)).toEqual([]);
  });
});
