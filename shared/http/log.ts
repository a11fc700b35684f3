// Structured JSON log lines (Cloud Logging reads `severity`). Callers pass facts, never secrets,
// tokens, passwords, emails or vote values.
import { getConfig } from '../config/config.js';

type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
const RANK: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 9 };
const SEVERITY_RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

function threshold(): number {
  try { return RANK[getConfig().logLevel]!; } catch { return RANK.info!; } // a bad config must still log
}

export function log(severity: Severity, message: string, fields: Record<string, unknown> = {}): void {
  if (SEVERITY_RANK[severity] < threshold()) return;
  process.stdout.write(`${JSON.stringify({ severity, message, time: new Date().toISOString(), ...fields })}\n`);
}
