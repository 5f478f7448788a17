// S3's XML: responses with flattened lists (repeated elements), and request bodies parsed strictly.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeXml } from '../../protocols/xml.js';
import { malformedXml } from './s3-errors.js';

/** The namespace of every S3 response document. */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A value rendered as S3 XML: arrays repeat their parent element, as S3's lists do. */
export type S3XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | S3XmlValue[]
  | { [key: string]: S3XmlValue };

/** S3 timestamps in documents: ISO 8601 with milliseconds. */
function renderScalar(value: string | number | boolean | Date): string {
  return escapeXml(value instanceof Date ? value.toISOString() : String(value));
}

function renderElement(name: string, value: S3XmlValue): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => renderElement(name, item)).join('');
  if (typeof value === 'object' && !(value instanceof Date)) {
    return `<${name}>${renderChildren(value)}</${name}>`;
  }
  return `<${name}>${renderScalar(value)}</${name}>`;
}

function renderChildren(value: { [key: string]: S3XmlValue }): string {
  return Object.entries(value)
    .map(([key, child]) => renderElement(key, child))
    .join('');
}

/** A whole response document with its root element in the S3 namespace. */
export function renderS3Document(root: string, value: { [key: string]: S3XmlValue }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${renderChildren(value)}</${root}>`;
}

/** A parsed XML element: text, or children (repeated children become arrays). */
export type XmlNode = string | { [key: string]: XmlNode | XmlNode[] };

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  removeNSPrefix: true,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
});

/**
 * Parses a request body; throws `MalformedXML` unless it is well-formed and its root is `root`.
 * Returns the root's children.
 */
export function parseS3Xml(text: string, root: string): Record<string, XmlNode | XmlNode[]> {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformedXml();
  const parsed = parser.parse(text) as Record<string, unknown>;
  const node = parsed[root];
  if (node === undefined) throw malformedXml();
  if (node === '' || node === null) return {};
  if (typeof node !== 'object' || Array.isArray(node)) throw malformedXml();
  return node as Record<string, XmlNode | XmlNode[]>;
}

/** Children of `node` named `name` as a list (absent → []). */
export function xmlList(node: XmlNode | XmlNode[] | undefined): XmlNode[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/** The text of a child element, or undefined. Throws `MalformedXML` if it has children. */
export function xmlText(parent: XmlNode | undefined, name: string): string | undefined {
  if (parent === undefined || typeof parent === 'string') return undefined;
  const child = parent[name];
  if (child === undefined) return undefined;
  if (typeof child !== 'string') throw malformedXml();
  return child;
}
