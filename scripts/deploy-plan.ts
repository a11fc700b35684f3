// `npm run deploy:plan`: turns deploy/settings.ts into the commands Cloud Build runs, in
// dist/deploy/: functions.sh (one `gcloud functions deploy` per function, flags from the settings,
// environment from env/<name>.yaml), access.sh (the runtime account may read its secrets),
// firestore.sh (point-in-time recovery, backup schedules), schedules.sh (Cloud Scheduler jobs),
// monitoring.sh with monitoring/*.json (log-based metrics and alert policies, deploy/monitoring.ts).
// With --write-firebase-json it sets the region in firebase.json's rewrites (Cloud Build's clone);
// without, it refuses a firebase.json whose rewrites name another region than the deploy's.
// Input (environment): PROJECT_ID (required), REGION, SITE_ORIGINS (comma-separated, first is the
// one links use; default the project's web.app and firebaseapp.com), SCHEDULER_SA, RUNTIME_SA,
// ALERT_CHANNELS (comma-separated notification channel ids the alerts notify; may be empty),
// FORGE_APP_ID, TRUSTED_PROXIES (Firebase Hosting's egress ranges, CIDR, comma-separated).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPLOY, type FunctionName, type FunctionSettings } from '../deploy/settings.js';
import { ALERTS, METRICS, alertPolicy } from '../deploy/monitoring.js';
import { parseRange } from '../shared/http/client-ip.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DeployTarget {
  projectId: string; region: string; siteOrigins: string[]; schedulerSa: string; runtimeSa: string; alertChannels: string[];
  /** The Reckon Forge app's id (FORGE_APP_ID): without it no Jira site can be bound (docs/forge.md §1). */
  forgeAppId?: string;
  /** Firebase Hosting's egress ranges (TRUSTED_PROXIES, CIDR, comma-separated): the client address is the entry Hosting appended (docs/operations.md). */
  trustedProxies?: string;
}

export function targetFrom(env: Record<string, string | undefined>): DeployTarget {
  const projectId = env.PROJECT_ID;
  if (!projectId || !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId)) throw new Error('PROJECT_ID must be a Google Cloud project id');
  const siteOrigins = (env.SITE_ORIGINS || `https://${projectId}.web.app,https://${projectId}.firebaseapp.com`).split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of siteOrigins) if (new URL(o).origin !== o || !o.startsWith('https://')) throw new Error(`SITE_ORIGINS: ${o} is not an https origin (no path, no trailing slash)`);
  return {
    projectId, region: env.REGION || DEPLOY.region, siteOrigins,
    schedulerSa: env.SCHEDULER_SA || `reckon-scheduler@${projectId}.iam.gserviceaccount.com`,
    runtimeSa: env.RUNTIME_SA || `reckon-functions@${projectId}.iam.gserviceaccount.com`,
    alertChannels: (env.ALERT_CHANNELS ?? '').split(',').map((c) => c.trim()).filter(Boolean)
      .map((c) => (c.startsWith('projects/') ? c : `projects/${projectId}/notificationChannels/${c}`)),
    ...(env.FORGE_APP_ID ? { forgeAppId: env.FORGE_APP_ID } : {}),
    ...(env.TRUSTED_PROXIES ? { trustedProxies: checkedRanges(env.TRUSTED_PROXIES) } : {}),
  };
}

/** The ranges as the functions will parse them, refused here rather than by every function at start. */
function checkedRanges(text: string): string {
  const ranges = text.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of ranges) if (!parseRange(r)) throw new Error(`TRUSTED_PROXIES: ${r} is not a CIDR range no wider than an IPv4 /16 or an IPv6 /32`);
  return ranges.join(',');
}

/** A word for bash, quoted. */
export const sh = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
const line = (words: string[]) => words.map(sh).join(' ');

export function environment(t: DeployTarget): Record<string, string> {
  return {
    RECKON_ENV: 'production', GOOGLE_CLOUD_PROJECT: t.projectId, RECKON_SITE_ORIGIN: t.siteOrigins.join(','), RECKON_SCHEDULER_SA: t.schedulerSa,
    ...(t.forgeAppId ? { RECKON_FORGE_APP_ID: t.forgeAppId } : {}),
    ...(t.trustedProxies ? { RECKON_TRUSTED_PROXIES: t.trustedProxies } : {}),
  };
}

/** One function's environment: the deploy's, plus what its settings choose. */
export function functionEnvironment(env: Record<string, string>, s: FunctionSettings): Record<string, string> {
  return { ...env, RECKON_FIRESTORE_TRANSPORT: s.firestoreTransport };
}

export function functionDeployArgs(name: string, s: FunctionSettings, t: DeployTarget, sourceDir: string, envFile: string): string[] {
  if (s.concurrency > 1 && s.cpu < 1) throw new Error(`${name}: concurrency above 1 needs at least 1 vCPU`);
  return ['gcloud', 'functions', 'deploy', name, '--gen2', `--project=${t.projectId}`, `--region=${t.region}`, `--runtime=${DEPLOY.runtime}`,
    `--source=${sourceDir}`, `--entry-point=${name}`, '--trigger-http', '--allow-unauthenticated', `--service-account=${t.runtimeSa}`,
    `--memory=${s.memory}`, `--cpu=${s.cpu}`, `--concurrency=${s.concurrency}`, `--min-instances=${s.minInstances}`, `--max-instances=${s.maxInstances}`,
    `--timeout=${s.timeoutS}s`, `--env-vars-file=${envFile}`, '--quiet'];
}

/** firebase.json's function rewrites that name another region than `region`. */
export function regionMismatches(firebaseJson: { hosting: { rewrites: { source: string; function?: { region?: string } | string }[] } }, region: string): string[] {
  return firebaseJson.hosting.rewrites.flatMap((r) => (typeof r.function === 'object' && r.function.region !== region ? [`${r.source} → ${r.function.region}`] : []));
}

export function withRegion<T extends { hosting: { rewrites: { function?: { region?: string } | string }[] } }>(firebaseJson: T, region: string): T {
  const copy = structuredClone(firebaseJson);
  for (const r of copy.hosting.rewrites) if (typeof r.function === 'object') r.function.region = region;
  return copy;
}

export function scheduleCommands(t: DeployTarget): string[] {
  const site = t.siteOrigins[0]!;
  return DEPLOY.schedules.map((job) => {
    const flags = line([`--project=${t.projectId}`, `--location=${t.region}`, `--schedule=${job.schedule}`, '--time-zone=Etc/UTC', '--http-method=POST',
      `--uri=${site}${job.path}`, `--oidc-service-account-email=${t.schedulerSa}`, `--oidc-token-audience=${site}/api/jobs`, `--attempt-deadline=${job.attemptDeadlineS}s`]);
    return `gcloud scheduler jobs update http ${sh(job.name)} ${flags} || gcloud scheduler jobs create http ${sh(job.name)} ${flags}`;
  });
}

export function firestoreCommands(t: DeployTarget): string[] {
  const db = ['--database=(default)', `--project=${t.projectId}`];
  const { backups } = DEPLOY.firestore;
  return [
    line(['gcloud', 'firestore', 'databases', 'update', ...db, DEPLOY.firestore.pointInTimeRecovery ? '--enable-pitr' : '--no-enable-pitr']),
    // One daily and one weekly schedule at most: create each when missing.
    `schedules=$(${line(['gcloud', 'firestore', 'backups', 'schedules', 'list', ...db, '--format=json'])})`,
    `echo "$schedules" | grep -q dailyRecurrence || ${line(['gcloud', 'firestore', 'backups', 'schedules', 'create', ...db, '--recurrence=daily', `--retention=${backups.daily}`])}`,
    `echo "$schedules" | grep -q weeklyRecurrence || ${line(['gcloud', 'firestore', 'backups', 'schedules', 'create', ...db, '--recurrence=weekly', `--day-of-week=${backups.weekly.dayOfWeek}`, `--retention=${backups.weekly.retention}`])}`,
  ];
}

export function accessCommands(t: DeployTarget): string[] {
  const secrets = [...new Set(Object.values(DEPLOY.functions).flatMap((f) => f.secrets))].sort();
  return secrets.map((s) => line(['gcloud', 'secrets', 'add-iam-policy-binding', s, `--project=${t.projectId}`, `--member=serviceAccount:${t.runtimeSa}`, '--role=roles/secretmanager.secretAccessor', '--quiet']));
}

/** Writes each metric and policy as a file; the commands create or update them (policies found by display name). */
export function monitoringCommands(t: DeployTarget, outDir: string): string[] {
  const dir = path.join(outDir, 'monitoring');
  fs.mkdirSync(dir, { recursive: true });
  const project = `--project=${t.projectId}`;
  const metrics = METRICS.map((m) => {
    const file = path.join(dir, `metric-${m.name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
    return `${line(['gcloud', 'logging', 'metrics', 'update', m.name, `--config-from-file=${file}`, project])} || ${line(['gcloud', 'logging', 'metrics', 'create', m.name, `--config-from-file=${file}`, project])}`;
  });
  const policies = ALERTS.map((a, i) => {
    const file = path.join(dir, `alert-${i + 1}.json`);
    fs.writeFileSync(file, `${JSON.stringify(alertPolicy(a, t.alertChannels), null, 2)}\n`);
    const find = line(['gcloud', 'alpha', 'monitoring', 'policies', 'list', project, `--filter=displayName="${a.displayName}"`, '--format=value(name)']);
    return `id=$(${find} | head -n 1); if [ -n "$id" ]; then ${line(['gcloud', 'alpha', 'monitoring', 'policies', 'update'])} "$id" ${line([`--policy-from-file=${file}`, project])}; else ${line(['gcloud', 'alpha', 'monitoring', 'policies', 'create', `--policy-from-file=${file}`, project])}; fi`;
  });
  return [...metrics, ...policies];
}

const script = (lines: string[]) => `#!/usr/bin/env bash\n# Generated by npm run deploy:plan from deploy/settings.ts; do not edit.\nset -euo pipefail\n${lines.join('\n')}\n`;

export function writePlan(t: DeployTarget, outDir: string, functionsDir: string): void {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, 'env'), { recursive: true });
  const env = environment(t);
  const deploys = (Object.entries(DEPLOY.functions) as [FunctionName, FunctionSettings][]).map(([name, s]) => {
    if (!fs.existsSync(path.join(functionsDir, name, 'package-lock.json'))) throw new Error(`${functionsDir}/${name} is not built (run npm run build)`);
    const envFile = path.join(outDir, 'env', `${name}.yaml`);
    fs.writeFileSync(envFile, Object.entries(functionEnvironment(env, s)).map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`).join(''));
    return line(functionDeployArgs(name, s, t, path.join(functionsDir, name), envFile));
  });
  fs.writeFileSync(path.join(outDir, 'functions.sh'), script(deploys));
  fs.writeFileSync(path.join(outDir, 'access.sh'), script(accessCommands(t)));
  fs.writeFileSync(path.join(outDir, 'firestore.sh'), script(firestoreCommands(t)));
  fs.writeFileSync(path.join(outDir, 'schedules.sh'), script(scheduleCommands(t)));
  fs.writeFileSync(path.join(outDir, 'monitoring.sh'), script(monitoringCommands(t, outDir)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.chdir(ROOT); // the scripts name paths relative to the checkout, as Cloud Build's steps run there
  const target = targetFrom(process.env);
  const firebasePath = 'firebase.json';
  const firebaseJson = JSON.parse(fs.readFileSync(firebasePath, 'utf8'));
  if (process.argv.includes('--write-firebase-json')) fs.writeFileSync(firebasePath, `${JSON.stringify(withRegion(firebaseJson, target.region), null, 2)}\n`);
  else if (regionMismatches(firebaseJson, target.region).length) throw new Error(`firebase.json routes to another region than ${target.region}: ${regionMismatches(firebaseJson, target.region).join(', ')} (pass --write-firebase-json)`);
  writePlan(target, 'dist/deploy', 'dist/functions');
  console.log(`Deploy plan for ${target.projectId} in ${target.region} (site ${target.siteOrigins.join(', ')}) written to dist/deploy/`);
}
