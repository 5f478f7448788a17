/** Limits that keep parsing and evaluation of expressions cheap on hostile input. */

/** The longest expression body (between `${{` and `}}`), in UTF-16 code units. */
export const MAX_EXPRESSION_LENGTH = 4096;

/** How deeply brackets and function calls may nest inside one expression. */
export const MAX_EXPRESSION_DEPTH = 32;
