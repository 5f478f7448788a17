/** Step log lines as text: `stage/step | text`, with `!` for stderr and `*` for Rampart's notes. */
import type { LogLineInfo } from '@rampart/protocol';

const MARK: Record<LogLineInfo['stream'], string> = { stdout: '|', stderr: '!', info: '*' };

export function renderLogLine(line: LogLineInfo): string {
  return `${line.stage}/${line.step} ${MARK[line.stream]} ${line.text}\n`;
}
