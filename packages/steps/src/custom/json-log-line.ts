// One line of a step program's JSON-lines log, turned into a step log line: the message as text,
// errors and warnings on stderr. Lines that are not JSON objects are kept as written.

/** A step log line. */
export interface StepLogLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

const STDERR_LEVELS = new Set(['error', 'err', 'warn', 'warning', 'fatal']);

/**
 * `{"level":"info","message":"deploying"}` → `deploying` on stdout; `level` `error`/`warn`
 * (any case) → stderr. The message is `message`, else `msg`; other fields are appended as JSON
 * so structured detail is not lost.
 */
export function parseJsonLogLine(line: string): StepLogLine {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { text: line, stream: 'stdout' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { text: line, stream: 'stdout' };
  }
  const record = data as Record<string, unknown>;
  const level = typeof record.level === 'string' ? record.level.toLowerCase() : 'info';
  const stream = STDERR_LEVELS.has(level) ? 'stderr' : 'stdout';
  const messageKey = typeof record.message === 'string' ? 'message' : 'msg';
  const message = record[messageKey];
  if (typeof message !== 'string') return { text: line, stream };
  const rest = Object.fromEntries(
    Object.entries(record).filter(
      ([key]) => key !== messageKey && key !== 'level' && key !== 'timestamp' && key !== 'time',
    ),
  );
  const detail = Object.keys(rest).length === 0 ? '' : ` ${JSON.stringify(rest)}`;
  return { text: `${message}${detail}`, stream };
}
