// Reads the counts out of a JUnit XML report (the format test runners of every language write):
// a small, tolerant scanner over tags, not a validating XML parser. Namespaces, comments, CDATA,
// nested suites and attributes in any order are fine; entities in names are decoded.

/** A test that failed (`<failure>` or `<error>`). */
export interface FailedTest {
  /** `classname.name`, or `name` alone. */
  name: string;
  /** The failure's `message` attribute, when it has one. */
  message?: string;
}

/** What a report says. */
export interface JUnitSummary {
  /** `<testcase>` elements. */
  tests: number;
  /** Test cases with a `<failure>` or an `<error>`. */
  failed: number;
  /** Test cases with `<skipped>` and no failure. */
  skipped: number;
  /** `tests - failed - skipped`. */
  passed: number;
  /** The failed tests, in report order. */
  failures: FailedTest[];
}

/** The result of reading a report. */
export type JUnitParse = { ok: true; summary: JUnitSummary } | { ok: false; message: string };

// Comments, CDATA, processing instructions and declarations are skipped whole, so a `<` inside
// them is never taken for a tag.
const TOKENS =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)|<![^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Counts the test cases of a JUnit XML report. */
export function parseJUnitReport(xml: string): JUnitParse {
  let sawReport = false;
  let current:
    { name: string; status: 'passed' | 'failed' | 'skipped'; message?: string } | undefined;
  const summary: JUnitSummary = { tests: 0, failed: 0, skipped: 0, passed: 0, failures: [] };

  const finish = () => {
    if (current === undefined) return;
    summary.tests += 1;
    if (current.status === 'failed') {
      summary.failed += 1;
      summary.failures.push({
        name: current.name,
        ...(current.message === undefined ? {} : { message: current.message }),
      });
    } else if (current.status === 'skipped') {
      summary.skipped += 1;
    }
    current = undefined;
  };

  for (const match of xml.matchAll(TOKENS)) {
    const [, closing, qualified, attributeText, selfClosing] = match;
    if (qualified === undefined) continue;
    const name = localName(qualified);
    if (name === 'testsuites' || name === 'testsuite') sawReport = true;
    if (name !== 'testcase' && name !== 'failure' && name !== 'error' && name !== 'skipped') {
      continue;
    }
    if (name === 'testcase') {
      if (closing === '/') {
        finish();
        continue;
      }
      // An unclosed test case ends where the next one starts.
      finish();
      sawReport = true;
      const attributes = parseAttributes(attributeText ?? '');
      const caseName = attributes.get('name') ?? '(unnamed)';
      const className = attributes.get('classname');
      current = {
        name: className === undefined || className === '' ? caseName : `${className}.${caseName}`,
        status: 'passed',
      };
      if (selfClosing === '/') finish();
      continue;
    }
    if (current === undefined || closing === '/') continue;
    if (name === 'skipped') {
      if (current.status === 'passed') current.status = 'skipped';
      continue;
    }
    if (current.status !== 'failed') {
      current.status = 'failed';
      const message = parseAttributes(attributeText ?? '').get('message');
      if (message !== undefined && message !== '') current.message = message;
    }
  }
  finish();
  if (!sawReport) {
    return {
      ok: false,
      message: 'it is not a JUnit XML report (no <testsuites>, <testsuite> or <testcase> element)',
    };
  }
  summary.passed = summary.tests - summary.failed - summary.skipped;
  return { ok: true, summary };
}

function localName(qualified: string): string {
  const colon = qualified.lastIndexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) {
    const [, name, doubleQuoted, singleQuoted] = match;
    if (name !== undefined) attributes.set(name, decode(doubleQuoted ?? singleQuoted ?? ''));
  }
  return attributes;
}

function decode(text: string): string {
  return text.replace(
    ENTITY,
    (whole, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
      if (named !== undefined) return NAMED[named] ?? whole;
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    },
  );
}
