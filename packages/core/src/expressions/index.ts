/** The `${{ … }}` expression language: parsing, evaluation against a caller context, references. */
export type {
  AccessExpr,
  CallExpr,
  Expr,
  IdentifierExpr,
  LiteralExpr,
  LiteralValue,
} from './ast.js';
export {
  collectExpressionReferences,
  collectReferences,
  type CallReference,
  type ExpressionReference,
  type PathReference,
} from './collect-references.js';
export {
  ContextNode,
  type ContextNodeOptions,
  type ContextRecord,
  type ContextValue,
} from './context-node.js';
export { Deferred } from './deferred.js';
export type { ExpressionContext, ExpressionFunction } from './expression-context.js';
export { ExpressionFailure, type ExpressionDiagnostic } from './expression-diagnostic.js';
export { evaluateExpression, type EvaluationResult } from './evaluate-expression.js';
export { evaluateTemplate, type TemplateEvaluation } from './evaluate-template.js';
export { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './limits.js';
export {
  hasExpression,
  parseTemplate,
  parseTemplateCached,
  type ExpressionPart,
  type ParsedTemplate,
  type TemplatePart,
  type TextPart,
} from './parse-template.js';
export { resolveDeep, type DeepResolution, type ValuePath } from './resolve-deep.js';
