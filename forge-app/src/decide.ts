// Whether to write Reckon's final estimate into Jira (pure). A human's edit is never overwritten:
// the field is written only when it is empty or still holds the estimate the app wrote last.
export type Decision =
  | { action: 'write'; value: number }
  | { action: 'already' }
  | { action: 'skip' }
  | { action: 'invalid'; message: string };

export function decideWrite(current: unknown, lastWritten: string | null, estimate: string): Decision {
  // Plain decimals only: Number() would also read a free value like "0x10" or "1e3" as 16 or 1000.
  const value = Number(estimate);
  if (!/^\d+(\.\d+)?$/.test(estimate) || !Number.isFinite(value)) {
    return { action: 'invalid', message: `Reckon's estimate "${estimate}" is not a number of story points.` };
  }
  if (current === value) return { action: 'already' };
  const empty = current === null || current === undefined;
  const stillOurs = lastWritten !== null && typeof current === 'number' && current === Number(lastWritten);
  return empty || stillOurs ? { action: 'write', value } : { action: 'skip' };
}

/** Jira's words from an error answer (`errorMessages` and `errors`), for the team to read. */
export function jiraMessage(status: number, json: any): string {
  const parts = [...(Array.isArray(json?.errorMessages) ? json.errorMessages : []), ...Object.values((json?.errors ?? {}) as Record<string, string>)];
  return (parts.length > 0 ? parts.join(' ') : `Jira answered ${status}.`).slice(0, 500);
}
