// Everything the deploy sets, in one place: where Reckon runs, each function's resources and
// limits, the scheduler jobs, and Firestore's recovery settings. scripts/deploy-plan.ts turns this
// into the gcloud commands cloudbuild.yaml runs; the reasoning is in docs/operations.md
// ("Deploy settings"). Prices quoted there are list prices for tier-1 regions at the time of writing.

/** Cloud Functions 2nd gen (Cloud Run underneath). */
export interface FunctionSettings {
  memory: '256Mi' | '512Mi' | '1Gi' | '2Gi';
  /** vCPUs. Concurrency above 1 needs at least 1 whole vCPU. */
  cpu: 1 | 2;
  /** Requests one instance serves at once. */
  concurrency: number;
  minInstances: number;
  maxInstances: number;
  timeoutS: number;
  /** Secret Manager secrets the function reads (shared/config/secrets.ts); its service account gets access to these. */
  secrets: readonly ('token-keys' | 'data-keys')[];
  /**
   * How it reaches Firestore (RECKON_FIRESTORE_TRANSPORT). REST's first call costs ~90 ms less CPU
   * than gRPC's, but each later call ~0.8 ms more (docs/performance.md): REST where most calls come
   * soon after a start (light traffic, scaled to zero); on the hot path REST for an instance's first
   * request and gRPC once it has set up after that answer (rest-then-grpc); gRPC for the job, whose
   * one request makes thousands of calls.
   */
  firestoreTransport: 'grpc' | 'rest' | 'rest-then-grpc';
}

export interface ScheduledJob { name: string; path: string; schedule: string; attemptDeadlineS: number }

/** Every function reads both secrets at start (requireSecrets): tokens are checked everywhere, and data keys open Jira tokens and Forge secrets. */
const BOTH = ['token-keys', 'data-keys'] as const;

export const DEPLOY = {
  /** The functions' region; firebase.json's rewrites must name it (test/deploy/settings.test.ts, and the plan refuses otherwise). */
  region: 'europe-west1',
  /** Firestore's location, chosen when the database is created (it cannot move): the EU multi-region. */
  firestoreLocation: 'eur3',
  runtime: 'nodejs22',
  functions: {
    // The hot path: every open room polls every ~2 s; one instance answers many polls from its
    // one-second cache only if it serves them at once.
    sessions: { memory: '512Mi', cpu: 1, concurrency: 80, minInstances: 1, maxInstances: 40, timeoutS: 30, secrets: BOTH, firestoreTransport: 'rest-then-grpc' },
    votes: { memory: '512Mi', cpu: 1, concurrency: 40, minInstances: 1, maxInstances: 40, timeoutS: 15, secrets: BOTH, firestoreTransport: 'rest-then-grpc' },
    // argon2 takes ~19 MiB and tens of ms of CPU per hash: few at once per vCPU.
    auth: { memory: '512Mi', cpu: 1, concurrency: 4, minInstances: 0, maxInstances: 20, timeoutS: 30, secrets: BOTH, firestoreTransport: 'rest' },
    // Waits on Jira: an import reads up to 200 issues page by page.
    jira: { memory: '512Mi', cpu: 1, concurrency: 10, minInstances: 0, maxInstances: 10, timeoutS: 120, secrets: BOTH, firestoreTransport: 'rest' },
    forge: { memory: '512Mi', cpu: 1, concurrency: 20, minInstances: 0, maxInstances: 10, timeoutS: 60, secrets: BOTH, firestoreTransport: 'rest' },
    teams: { memory: '512Mi', cpu: 1, concurrency: 20, minInstances: 0, maxInstances: 10, timeoutS: 30, secrets: BOTH, firestoreTransport: 'rest' },
    // Client portal: admins manage clients and links, portal users read estimates and approve; light traffic.
    portal: { memory: '512Mi', cpu: 1, concurrency: 20, minInstances: 0, maxInstances: 10, timeoutS: 30, secrets: BOTH, firestoreTransport: 'rest' },
    // Insights: a page load reads a few aggregate documents (issue #19); light traffic.
    insights: { memory: '512Mi', cpu: 1, concurrency: 40, minInstances: 0, maxInstances: 10, timeoutS: 30, secrets: BOTH, firestoreTransport: 'rest' },
    // Waits on Gemini (20 s per call, a few 429 retries); light traffic, opt-in per team.
    ai: { memory: '512Mi', cpu: 1, concurrency: 20, minInstances: 0, maxInstances: 10, timeoutS: 60, secrets: BOTH, firestoreTransport: 'rest' },
    // One run at a time per instance; its timeout is the scheduler's attempt deadline (540 s).
    // A run makes hundreds to thousands of Firestore calls: gRPC's cheaper calls outweigh its start.
    jobs: { memory: '512Mi', cpu: 1, concurrency: 1, minInstances: 0, maxInstances: 2, timeoutS: 540, secrets: BOTH, firestoreTransport: 'grpc' },
  } satisfies Record<string, FunctionSettings>,
  /** Cloud Scheduler calls the jobs function through the site with an OIDC token (audience `<site>/api/jobs`). */
  schedules: [
    { name: 'reckon-jira-sync', path: '/api/jobs/jira-sync', schedule: '*/15 * * * *', attemptDeadlineS: 540 },
    // Hourly: a run is bounded, and the next one continues where it stopped (shared/jobs/retention.ts).
    { name: 'reckon-retention', path: '/api/jobs/retention', schedule: '41 * * * *', attemptDeadlineS: 540 },
  ] satisfies ScheduledJob[],
  firestore: {
    /** Point-in-time recovery: any minute of the last 7 days. */
    pointInTimeRecovery: true,
    /** Firestore allows one daily schedule (≤ 7 days kept) and one weekly (≤ 14 weeks). */
    backups: { daily: '7d', weekly: { retention: '14w', dayOfWeek: 'SUN' } },
  },
} as const;

export type FunctionName = keyof typeof DEPLOY.functions;
