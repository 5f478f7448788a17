/** Compiler-style rendering of diagnostics: `file:line:col: error CODE: message`, hint, code frame. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '@rampart/core';

export interface RenderOptions {
  cwd: string;
  /** Show the offending source line with a caret. @default true */
  frames?: boolean;
}

/** Renders one diagnostic as a few lines of text (ending with a newline). */
export function renderDiagnostic(
  d: Diagnostic,
  options: RenderOptions,
  sources: Map<string, string[] | null>,
): string {
  const file = displayPath(d.file, options.cwd);
  let out = `${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`;
  if (options.frames !== false) {
    const line = sourceLine(d.file, d.line, sources);
    if (line !== undefined && line.length <= 240) {
      const gutter = String(d.line).padStart(5);
      out += `${gutter} | ${line}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.column - 1))}^\n`;
    }
  }
  if (d.hint !== undefined) out += `  hint: ${d.hint}\n`;
  return out;
}

export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

function sourceLine(
  file: string,
  line: number,
  sources: Map<string, string[] | null>,
): string | undefined {
  let lines = sources.get(file);
  if (lines === undefined) {
    try {
      const text = readFileSync(file, 'utf8');
      lines = text.length > 1024 * 1024 ? null : text.split(/\r?\n/);
    } catch {
      lines = null;
    }
    sources.set(file, lines);
  }
  return lines?.[line - 1]?.replace(/\t/g, ' ');
}

/** The JSON shape of a diagnostic in `--format json` output. */
export function diagnosticJson(d: Diagnostic): {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  hint: string | null;
} {
  return {
    code: d.code,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    hint: d.hint ?? null,
  };
}
