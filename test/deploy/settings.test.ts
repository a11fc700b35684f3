// Issue #20 items 1 and 4: the deploy settings are one file, consistent with firebase.json and the
// scheduler, and the plan Cloud Build runs is generated from them.
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEPLOY } from '../../deploy/settings.js';
import { targetFrom, regionMismatches, withRegion, writePlan } from '../../scripts/deploy-plan.js';
import { ALERTS, METRICS, WATCHED_ROUTES } from '../../deploy/monitoring.js';
import { voteRoutes } from '../../functions/votes/routes.js';
import { allSessionRoutes } from '../../functions/sessions/routes.js';

const firebaseJson = JSON.parse(fs.readFileSync('firebase.json', 'utf8'));
const functionFolders = fs.readdirSync('functions').filter((n) => fs.existsSync(path.join('functions', n, 'index.ts'))).sort();
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-plan-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('deploy settings', () => {
  it('cover every function, and firebase.json routes to each of them in the deploy region', () => {
    expect(Object.keys(DEPLOY.functions).sort()).toEqual(functionFolders);
    expect(regionMismatches(firebaseJson, DEPLOY.region)).toEqual([]);
    const routed = new Set(firebaseJson.hosting.rewrites.map((r: { function?: { functionId: string } }) => r.function?.functionId).filter(Boolean));
    expect([...routed].sort()).toEqual(functionFolders);
  });

  it('serve many polls and votes per instance (with the whole vCPU that needs), and give the jobs the scheduler\'s deadline', () => {
    expect(DEPLOY.functions.sessions.concurrency).toBeGreaterThan(1);
    expect(DEPLOY.functions.votes.concurrency).toBeGreaterThan(1);
    for (const [name, s] of Object.entries(DEPLOY.functions)) if (s.concurrency > 1) expect(s.cpu, name).toBeGreaterThanOrEqual(1);
    for (const job of DEPLOY.schedules) {
      expect(job.path.startsWith('/api/jobs/')).toBe(true);
      expect(DEPLOY.functions.jobs.timeoutS).toBe(job.attemptDeadlineS);
    }
  });

  it('keep backups within what Firestore allows (daily at most 7 days, weekly at most 14 weeks) with point-in-time recovery on', () => {
    expect(DEPLOY.firestore.pointInTimeRecovery).toBe(true);
    expect(parseInt(DEPLOY.firestore.backups.daily)).toBeLessThanOrEqual(7);
    expect(parseInt(DEPLOY.firestore.backups.weekly.retention)).toBeLessThanOrEqual(14);
  });
});

describe('the deploy plan', () => {
  const target = targetFrom({ PROJECT_ID: 'reckon-prod', SITE_ORIGINS: 'https://reckon.example,https://reckon-prod.web.app' });

  it('deploys each function with its settings, the site origins and the source the build made', () => {
    for (const name of functionFolders) { fs.mkdirSync(path.join(out, 'functions', name), { recursive: true }); fs.writeFileSync(path.join(out, 'functions', name, 'package-lock.json'), '{}'); }
    writePlan(target, path.join(out, 'deploy'), path.join(out, 'functions'));
    const functions = fs.readFileSync(path.join(out, 'deploy', 'functions.sh'), 'utf8').trim().split('\n').filter((l) => l.startsWith('gcloud'));
    expect(functions).toHaveLength(functionFolders.length);
    const sessions = functions.find((l) => l.includes(' deploy sessions '))!;
    for (const flag of ['--gen2', '--region=europe-west1', '--runtime=nodejs22', '--cpu=1', '--concurrency=80', '--min-instances=1', '--timeout=30s', `--source=${path.join(out, 'functions', 'sessions')}`]) expect(sessions).toContain(flag);
    expect(functions.find((l) => l.includes(' deploy jobs '))).toContain('--timeout=540s');
    expect(fs.readFileSync(path.join(out, 'deploy', 'env', 'votes.yaml'), 'utf8')).toContain('RECKON_SITE_ORIGIN: "https://reckon.example,https://reckon-prod.web.app"');
    // The hot path starts on REST and keeps gRPC's cheaper calls after; light functions take REST's
    // cheaper start; the job, one long request, gRPC.
    expect(fs.readFileSync(path.join(out, 'deploy', 'env', 'votes.yaml'), 'utf8')).toContain('RECKON_FIRESTORE_TRANSPORT: "rest-then-grpc"');
    expect(fs.readFileSync(path.join(out, 'deploy', 'env', 'jobs.yaml'), 'utf8')).toContain('RECKON_FIRESTORE_TRANSPORT: "grpc"');
    expect(fs.readFileSync(path.join(out, 'deploy', 'env', 'auth.yaml'), 'utf8')).toContain('RECKON_FIRESTORE_TRANSPORT: "rest"');
    const schedules = fs.readFileSync(path.join(out, 'deploy', 'schedules.sh'), 'utf8');
    expect(schedules).toContain('--uri=https://reckon.example/api/jobs/jira-sync');
    expect(schedules).toContain('--oidc-token-audience=https://reckon.example/api/jobs');
    expect(fs.readFileSync(path.join(out, 'deploy', 'firestore.sh'), 'utf8')).toContain('--enable-pitr');
  });

  it('refuses an unbuilt function, a site origin with a path or plain http, and a bad project id', () => {
    expect(() => writePlan(target, path.join(out, 'deploy2'), path.join(out, 'nothing-built'))).toThrow(/is not built/);
    expect(() => targetFrom({ PROJECT_ID: 'reckon-prod', SITE_ORIGINS: 'https://reckon.example/app' })).toThrow(/not an https origin/);
    expect(() => targetFrom({ PROJECT_ID: 'reckon-prod', SITE_ORIGINS: 'http://reckon.example' })).toThrow(/not an https origin/);
    expect(() => targetFrom({ PROJECT_ID: 'Bad Project; rm -rf /' })).toThrow(/PROJECT_ID/);
    expect(targetFrom({ PROJECT_ID: 'reckon-prod' }).siteOrigins).toEqual(['https://reckon-prod.web.app', 'https://reckon-prod.firebaseapp.com']);
    expect(() => targetFrom({ PROJECT_ID: 'reckon-prod', TRUSTED_PROXIES: '192.0.2.0/24, hosting' })).toThrow(/TRUSTED_PROXIES: hosting/);
    expect(targetFrom({ PROJECT_ID: 'reckon-prod', TRUSTED_PROXIES: '192.0.2.0/24, 2001:db8::/32' }).trustedProxies).toBe('192.0.2.0/24,2001:db8::/32');
  });

  it('moves every rewrite of firebase.json to another region when the deploy says so', () => {
    expect(regionMismatches(withRegion(firebaseJson, 'europe-west6'), 'europe-west6')).toEqual([]);
    const functionRewrites = firebaseJson.hosting.rewrites.filter((r: { function?: unknown }) => r.function).length;
    expect(functionRewrites).toBeGreaterThan(functionFolders.length); // some functions own two paths (`/api/x` and `/api/x/**`)
    expect(regionMismatches(firebaseJson, 'europe-west6').length).toBe(functionRewrites);
  });
});

describe('metrics and alerts', () => {
  it('watch routes that exist, by the name the request log gives them, and alert only on metrics the deploy creates', () => {
    const names = [...voteRoutes, ...allSessionRoutes].map((r) => `${r.method} ${r.path}`);
    for (const route of Object.values(WATCHED_ROUTES)) expect(names).toContain(route);
    for (const a of ALERTS) expect(METRICS.map((m) => m.name)).toContain(a.metric);
  });

  it('are written as files with the commands that create or update them, notifying the channels given', () => {
    const t = targetFrom({ PROJECT_ID: 'reckon-prod', ALERT_CHANNELS: '123, projects/other/notificationChannels/9' });
    for (const name of functionFolders) { fs.mkdirSync(path.join(out, 'functions', name), { recursive: true }); fs.writeFileSync(path.join(out, 'functions', name, 'package-lock.json'), '{}'); }
    writePlan(t, path.join(out, 'deploy3'), path.join(out, 'functions'));
    const files = fs.readdirSync(path.join(out, 'deploy3', 'monitoring'));
    expect(files.filter((f) => f.startsWith('metric-'))).toHaveLength(METRICS.length);
    const policies = files.filter((f) => f.startsWith('alert-')).map((f) => JSON.parse(fs.readFileSync(path.join(out, 'deploy3', 'monitoring', f), 'utf8')));
    expect(policies.map((p) => p.displayName).sort()).toEqual(ALERTS.map((a) => a.displayName).sort());
    for (const p of policies) expect(p.notificationChannels).toEqual(['projects/reckon-prod/notificationChannels/123', 'projects/other/notificationChannels/9']);
    expect(policies.find((p) => p.displayName === 'Reckon: vote latency p95').conditions[0].conditionThreshold.filter).toContain('metric.label.route="PUT /api/votes/:sessionId"');
    const commands = fs.readFileSync(path.join(out, 'deploy3', 'monitoring.sh'), 'utf8');
    expect(commands.match(/gcloud logging metrics create/g)).toHaveLength(METRICS.length);
    expect(commands.match(/policies create/g)).toHaveLength(ALERTS.length);
  });
});
