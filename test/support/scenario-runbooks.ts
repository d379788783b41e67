/** Runbooks the recorded sessions (fixtures/sessions) and the fidelity test run. */

/** A blue-green deploy with health panels, a trigger and two rollback levels. */
export const CHECKOUT = `name: checkout-api v2.1.0 (blue-green)
prometheus: { url: "http://prometheus.internal:9090", interval: 5s }
hosts:
  blue: [app-b1.internal, app-b2.internal]
  green: [app-g1.internal, app-g2.internal]
  lb: [lb1.internal]
health:
  - id: error_rate
    title: Error rate
    query: sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
    unit: ratio
    warn: "> 0.01"
    crit: "> 0.05"
  - id: p95_canary
    title: p95 canary vs baseline
    compare:
      canary: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{color="blue"}[1m])))
      baseline: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{color="green"}[1m])))
    unit: seconds
    crit: "ratio > 2"
phases:
  - id: pre
    title: Pre-deployment validation
    planned: 2m
    steps:
      - { id: backup, title: Database backup verified, manual: true }
      - { id: green-health, title: Green answers health, run: { on: green, command: "curl -fsS localhost:3000/api/health" } }
      - { id: artifact, title: Release artifact present, local: { command: [echo, "checkout-api-2.1.0.tar.gz present"] } }
      - { id: err-low, title: Error rate below 1%, expect: { panel: error_rate, check: "< 0.01" } }
    gate: { title: "GATE 1: go / no-go" }
  - id: cutover-50
    title: 50% traffic to blue
    planned: 3m
    steps:
      - { id: shift, title: Shift 50%, run: { on: lb, command: "lbctl weight blue 50" } }
      - { id: watch, title: Errors stay low, expect: { panel: error_rate, check: "< 0.01" } }
    gate: { title: "GATE 2: full traffic?" }
rollback:
  levels:
    - id: traffic
      title: "Level 1: traffic back to green"
      expected: 2m
      steps:
        - { id: shift-back, title: All traffic to green, run: { on: lb, command: "lbctl weight blue 0" } }
        - { id: confirm, title: Confirm green serves, local: { command: [echo, "green serving 100%"] } }
    - id: code
      title: "Level 2: code rollback"
      expected: 15m
      steps:
        - { id: activate, title: Activate v2.0.5, run: { on: blue, command: "deployctl activate v2.0.5", batch: 1 } }
  triggers:
    - { id: errors-high, when: "error_rate > 0.05", for: 30s, severity: critical, recommend: traffic }
`;

/** A small config push: manual, remote, local steps and two gates; no metrics. */
export const CONFIG_PUSH = `name: config push (small)
hosts:
  web: [web1.internal, "web2.internal:2222"]
phases:
  - id: push
    title: Push the new config
    planned: 2m
    steps:
      - { id: announce, title: "Announce in #deploys", manual: true }
      - { id: lint, title: Lint the config, local: { command: [echo, "nginx: configuration file syntax is ok"] } }
      - { id: reload, title: Reload nginx, run: { on: web, command: "sudo systemctl reload nginx", timeout: 30s } }
    gate: { title: Config looks right? }
  - id: verify
    title: Verify
    planned: 1m
    steps:
      - { id: probe, title: Front page answers, local: { command: [echo, "HTTP/1.1 200 OK"] } }
      - { id: cdn, title: CDN purged, manual: true }
rollback:
  levels:
    - id: revert
      title: Revert the config
      expected: 1m
      steps:
        - { id: restore, title: Restore the old config, run: { on: web, command: "sudo cp /etc/nginx/nginx.conf.bak /etc/nginx/nginx.conf && sudo systemctl reload nginx" } }
`;
