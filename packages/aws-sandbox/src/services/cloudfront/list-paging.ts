// CloudFront's marker pagination: `Marker` is the id after which a page starts.
import type { ActionContext } from '../../framework/service.js';
import { invalidArgument } from './cloudfront-errors.js';
import type { CloudFrontXml } from './cloudfront-xml.js';

/** One page of `items` (each with an `id`) and the list fields every CloudFront list has. */
export function markerPage<T extends { id: string }>(
  ctx: ActionContext,
  items: readonly T[],
): { page: T[]; fields: { [key: string]: CloudFrontXml } } {
  const marker = ctx.input.str('Marker') ?? '';
  const maxText = ctx.input.str('MaxItems');
  const max = maxText === undefined ? 100 : Number(maxText);
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    throw invalidArgument(`MaxItems must be an integer between 0 and 1000, got ${maxText ?? ''}.`);
  }
  let start = 0;
  if (marker !== '') {
    const index = items.findIndex((item) => item.id === marker);
    if (index < 0) throw invalidArgument(`The marker ${marker} is not valid.`);
    start = index + 1;
  }
  const page = items.slice(start, start + max);
  const truncated = start + page.length < items.length;
  const last = page[page.length - 1];
  return {
    page,
    fields: {
      Marker: marker,
      ...(truncated && last ? { NextMarker: last.id } : {}),
      MaxItems: max,
      IsTruncated: truncated,
      Quantity: page.length,
    },
  };
}
