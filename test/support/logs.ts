// Reckon's log lines (one JSON object per line on stdout), kept by a test instead of printed: a
// request's line names its route, status and the Firestore documents it read and wrote.
export interface RequestLogLine { requestId: string; message: string; route?: string; status?: number; firestore: { reads: number; writes: number }; [key: string]: unknown }

export interface LogCapture {
  /** Every log line so far, as written. */
  readonly lines: string[];
  /** The `request` line of the response with this X-Request-Id. */
  requestLine(requestId: unknown): RequestLogLine | undefined;
  /** The Firestore usage the request of this response logged. */
  usageOf(res: { headers: Record<string, unknown> }): RequestLogLine['firestore'] | undefined;
  /** Puts stdout back. */
  stop(): void;
}

/** Starts keeping log lines (other output still goes to stdout). Start Reckon with RECKON_LOG_LEVEL=info. */
export function captureLogLines(): LogCapture {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('{"severity"')) { lines.push(text); return true; }
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  const requestLine = (requestId: unknown) => lines.map((l) => JSON.parse(l) as RequestLogLine).find((l) => l.message === 'request' && l.requestId === requestId);
  return {
    lines,
    requestLine,
    usageOf: (res) => requestLine(res.headers['x-request-id'])?.firestore,
    stop: () => { process.stdout.write = write; },
  };
}
