/** Evaluates a parsed template to a typed value or to text. */
import type { ExpressionContext } from './expression-context.js';
import { expressionDiagnostic, type ExpressionDiagnostic } from './expression-diagnostic.js';
import { evaluateExpression } from './evaluate-expression.js';
import type { ExpressionPart, ParsedTemplate } from './parse-template.js';
import { toPlainValue, toTextValue } from './plain-value.js';

export interface TemplateEvaluation {
  /**
   * The result: for a template that is exactly one expression, the expression's value as plain
   * data (a number stays a number); otherwise a string. `undefined` when `errors` is not empty.
   */
  value: unknown;
  /** The markers of the Deferreds in the result, each once, in order of first use. */
  markers: string[];
  /** The syntax errors of `parsed` and the evaluation errors, at most one per expression, by offset. */
  errors: ExpressionDiagnostic[];
}

/**
 * Evaluates every expression of `parsed` against `ctx`, collecting all errors. A template that is
 * exactly one expression, with no text around it (not even spaces), keeps the expression's type;
 * otherwise the parts are joined as text.
 */
export function evaluateTemplate(
  parsed: ParsedTemplate,
  ctx: ExpressionContext,
): TemplateEvaluation {
  const errors = [...parsed.errors];
  const markers = new Set<string>();
  const convert = (part: ExpressionPart, asText: boolean): unknown => {
    if (part.expr === undefined) return undefined;
    const result = evaluateExpression(part.expr, ctx, parsed.text);
    if (!result.ok) {
      errors.push(result.error);
      return undefined;
    }
    const source = part.source.trim();
    const conversion = asText
      ? toTextValue(result.value, source, markers)
      : toPlainValue(result.value, source, markers);
    if (conversion.ok) return conversion.value;
    errors.push(
      expressionDiagnostic('EXPR_TYPE', conversion.message, part.expr.start, conversion.hint),
    );
    return undefined;
  };

  const [only, ...rest] = parsed.parts;
  let value: unknown;
  if (only?.kind === 'expr' && rest.length === 0) {
    value = convert(only, false);
  } else {
    let out = '';
    for (const part of parsed.parts) {
      out += part.kind === 'text' ? part.text : ((convert(part, true) as string | undefined) ?? '');
    }
    value = out;
  }
  // Syntax errors were found before evaluation ones; report them all in reading order.
  errors.sort((a, b) => a.offset - b.offset);
  return { value: errors.length > 0 ? undefined : value, markers: [...markers], errors };
}
