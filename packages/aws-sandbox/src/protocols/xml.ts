// A minimal XML writer for AWS responses: objects become elements, arrays become `<member>` lists.

/** A value a handler may return for XML rendering. */
export type XmlValue =
  string | number | boolean | Date | null | undefined | XmlValue[] | { [key: string]: XmlValue };

const NEEDS_ESCAPING = /[&<>"'\r]/;

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  // Most values (ids, ARNs, names) need no escaping: one test instead of six replacements.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;');
}

/**
 * Renders `value` as the children of an element. Arrays render their items as `<itemName>`
 * (`member` in the query protocol; S3 passes its own names by returning objects instead).
 */
export function renderXmlChildren(value: XmlValue, itemName = 'member'): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return escapeXml(value.toISOString());
  if (Array.isArray(value)) {
    return value
      .map((item) => `<${itemName}>${renderXmlChildren(item, itemName)}</${itemName}>`)
      .join('');
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out += `<${key}>${renderXmlChildren(child, itemName)}</${key}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}
