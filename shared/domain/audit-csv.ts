// The audit log as CSV. Cells a spreadsheet would run as a formula are defused (OWASP CSV injection).
import type { AuditEventView } from '../schemas/teams.js';

function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const detailsText = (d: AuditEventView['details']) => Object.entries(d).map(([k, v]) => `${k}=${v ?? ''}`).join('; ');

/** CSV text (RFC 4180, CRLF) with a header row, in the order given (newest first). */
export function auditCsv(events: readonly AuditEventView[]): string {
  const rows = [['Time (UTC)', 'Actor', 'Actor id', 'Action', 'Target type', 'Target id', 'Target', 'Details'].map(cell).join(',')];
  for (const e of events) {
    rows.push([e.at, e.actor.displayName, e.actor.uid, e.action, e.target.type, e.target.id, e.target.name, detailsText(e.details)].map(cell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
