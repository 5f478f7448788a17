// The `$RAMPART_OUTPUT` file a script writes its outputs to: `KEY=VALUE` lines, and `KEY<<END`
// … `END` blocks for values that span lines.

/** A line of the output file that is not a valid output. */
export interface OutputFileProblem {
  line: number;
  message: string;
}

/** What an output file held. */
export interface ParsedOutputFile {
  outputs: Record<string, string>;
  problems: OutputFileProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses an output file. Blank lines and `#` comments are ignored; a key written twice keeps its
 * last value. Malformed lines are reported with their line numbers and skipped.
 */
export function parseOutputFile(text: string): ParsedOutputFile {
  const outputs: Record<string, string> = Object.create(null) as Record<string, string>;
  const problems: OutputFileProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const number = index + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const heredoc = /^([^=<]+)<<(\S+)$/.exec(line);
    if (heredoc) {
      const key = heredoc[1] ?? '';
      const end = heredoc[2] ?? '';
      const close = lines.indexOf(end, index + 1);
      if (close === -1) {
        problems.push({
          line: number,
          message: `"${key}<<${end}" is never closed by a line "${end}"`,
        });
        break;
      }
      if (!KEY.test(key)) problems.push({ line: number, message: badKey(key) });
      else outputs[key] = lines.slice(index + 1, close).join('\n');
      index = close;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals === -1) {
      problems.push({
        line: number,
        message: `expected KEY=VALUE, got ${JSON.stringify(cut(line))}`,
      });
      continue;
    }
    const key = line.slice(0, equals);
    if (!KEY.test(key)) {
      problems.push({ line: number, message: badKey(key) });
      continue;
    }
    outputs[key] = line.slice(equals + 1);
  }
  return { outputs: { ...outputs }, problems };
}

function badKey(key: string): string {
  return `output name ${JSON.stringify(cut(key))} must be letters, digits and _ and not start with a digit`;
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
