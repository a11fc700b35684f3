// Log-based metrics and alert policies, from the one JSON line every request logs
// (shared/http/router.ts: message "request", function, route, status, latencyMs) and the jobs'
// own lines. scripts/deploy-plan.ts writes each as a file in dist/deploy/monitoring/ and the
// commands that create or update them; docs/operations.md ("Alerts") says what each one means.

const REQUEST = 'resource.type="cloud_run_revision" AND jsonPayload.message="request"';

export interface LogMetric {
  name: string; description: string; filter: string;
  metricDescriptor: { metricKind: 'DELTA'; valueType: 'INT64' | 'DISTRIBUTION'; unit?: string; labels?: { key: string }[] };
  valueExtractor?: string; labelExtractors?: Record<string, string>;
  bucketOptions?: { exponentialBuckets: { numFiniteBuckets: number; growthFactor: number; scale: number } };
}

export const METRICS: LogMetric[] = [
  {
    name: 'reckon_server_errors', description: 'Requests answered 5xx, by function',
    filter: `${REQUEST} AND jsonPayload.status>=500`,
    metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', labels: [{ key: 'function' }] },
    labelExtractors: { function: 'EXTRACT(jsonPayload.function)' },
  },
  {
    name: 'reckon_request_latency', description: 'Request latency in ms, by function and route',
    filter: REQUEST,
    metricDescriptor: { metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: 'ms', labels: [{ key: 'function' }, { key: 'route' }] },
    valueExtractor: 'EXTRACT(jsonPayload.latencyMs)',
    labelExtractors: { function: 'EXTRACT(jsonPayload.function)', route: 'EXTRACT(jsonPayload.route)' },
    bucketOptions: { exponentialBuckets: { numFiniteBuckets: 64, growthFactor: 1.2, scale: 1 } },
  },
  {
    name: 'reckon_job_failures', description: 'Scheduled job runs that failed, and Jira connections a sync could not read',
    filter: `resource.type="cloud_run_revision" AND ((jsonPayload.message="request" AND jsonPayload.function="jobs" AND jsonPayload.status>=500) OR jsonPayload.message="jira sync: connections failed")`,
    metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64' },
  },
  {
    name: 'reckon_forge_signature_failures', description: 'Forge calls refused for their signature (401)',
    filter: `${REQUEST} AND jsonPayload.function="forge" AND jsonPayload.status=401`,
    metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64' },
  },
];

export interface AlertSpec {
  displayName: string; metric: string; extraFilter?: string;
  aligner: 'ALIGN_SUM' | 'ALIGN_DELTA'; reducer: 'REDUCE_SUM' | 'REDUCE_PERCENTILE_95';
  windowS: number; threshold: number; forS: number;
  /** What it means and what to do (shown in the incident). */
  meaning: string;
}

/** The routes the latency alerts watch, as the request log names them. */
export const WATCHED_ROUTES = { vote: 'PUT /api/votes/:sessionId', poll: 'GET /api/sessions/:id/state' } as const;

export const ALERTS: AlertSpec[] = [
  { displayName: 'Reckon: server errors', metric: 'reckon_server_errors', aligner: 'ALIGN_SUM', reducer: 'REDUCE_SUM', windowS: 300, threshold: 10, forS: 0,
    meaning: 'More than 10 requests answered 5xx in 5 minutes. Look at the ERROR lines ("unhandled error", "store unavailable", "secrets unavailable") of the function named in the metric label (WARNING "store busy" lines are contention: clients retry); a deploy just before is the first suspect (redeploy the previous commit).' },
  { displayName: 'Reckon: vote latency p95', metric: 'reckon_request_latency', extraFilter: `metric.label.route="${WATCHED_ROUTES.vote}"`, aligner: 'ALIGN_DELTA', reducer: 'REDUCE_PERCENTILE_95', windowS: 300, threshold: 500, forS: 600,
    meaning: 'Casting a vote took more than 500 ms at the 95th percentile for 10 minutes. Check Firestore latency and contention (ABORTED retries) and whether instances are at max-instances.' },
  { displayName: 'Reckon: poll latency p95', metric: 'reckon_request_latency', extraFilter: `metric.label.route="${WATCHED_ROUTES.poll}"`, aligner: 'ALIGN_DELTA', reducer: 'REDUCE_PERCENTILE_95', windowS: 300, threshold: 300, forS: 600,
    meaning: 'The poll took more than 300 ms at the 95th percentile for 10 minutes. Rooms will feel slow; check cold starts (min instances), Firestore latency and the sessions function\'s concurrency.' },
  { displayName: 'Reckon: job failures', metric: 'reckon_job_failures', aligner: 'ALIGN_SUM', reducer: 'REDUCE_SUM', windowS: 3600, threshold: 0, forS: 0,
    meaning: 'A scheduled job failed (5xx) or a Jira sync could not read a connection in the last hour. The job resumes on its next run; if it keeps failing, read the jobs function\'s log lines.' },
  { displayName: 'Reckon: Forge signature failures', metric: 'reckon_forge_signature_failures', aligner: 'ALIGN_SUM', reducer: 'REDUCE_SUM', windowS: 300, threshold: 20, forS: 0,
    meaning: 'More than 20 Forge calls in 5 minutes had a wrong, stale or replayed signature: a Forge app still signing with a rotated secret (after the 24-hour overlap), or someone probing. Check which cloud ids send them.' },
];

/** The Cloud Monitoring AlertPolicy of a spec, notifying the given channels. */
export function alertPolicy(a: AlertSpec, channels: string[]): Record<string, unknown> {
  return {
    displayName: a.displayName,
    combiner: 'OR',
    documentation: { content: a.meaning, mimeType: 'text/markdown' },
    notificationChannels: channels,
    conditions: [{
      displayName: a.displayName,
      conditionThreshold: {
        filter: [`metric.type="logging.googleapis.com/user/${a.metric}"`, 'resource.type="cloud_run_revision"', a.extraFilter].filter(Boolean).join(' AND '),
        aggregations: [{ alignmentPeriod: `${a.windowS}s`, perSeriesAligner: a.aligner, crossSeriesReducer: a.reducer }],
        comparison: 'COMPARISON_GT', thresholdValue: a.threshold, duration: `${a.forS}s`,
        trigger: { count: 1 },
      },
    }],
  };
}
