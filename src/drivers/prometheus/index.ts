/** The Prometheus driver's public surface: clients, the panel poller, sparklines and alerts. */
export { PromClient, parseInstant, type InstantResult, type RangeResult, type RangeSeries, type QueryOptions } from './client.js';
export { MetricError, asMetricError, displayUrl, oneLine, plainText } from './errors.js';
export { getJson, StoppedError, DEFAULT_TIMEOUT_MS, MAX_BODY_BYTES, type HttpTarget, type HttpOptions } from './http.js';
export { pollPanel } from './sample.js';
export { pollRange, rangeStep, rangeWindow, pickSeries, DEFAULT_RANGE_MS } from './range.js';
export {
  startPoller,
  clientFor,
  panelInterval,
  backoffDelay,
  MAX_BACKOFF_MS,
  MIN_RANGE_EVERY_MS,
  DEFAULT_SPARK_WIDTH,
  type Poller,
  type PollerOptions,
} from './poller.js';
export { fetchAlerts, pollAlerts, startAlertsPoller, alertmanagerTarget, type AlertmanagerTarget, type AlertsPoller } from './alerts.js';
