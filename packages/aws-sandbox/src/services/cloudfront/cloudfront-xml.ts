// CloudFront's XML: response documents in the 2020-05-31 namespace (arrays repeat their element,
// so `Items: { Path: [...] }` renders `<Items><Path>…</Path>…</Items>`), and request bodies.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CommonError } from '../../framework/aws-error.js';
import { escapeXml } from '../../protocols/xml.js';

/** The namespace of every CloudFront document. */
export const CLOUDFRONT_XMLNS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

/** A value rendered as CloudFront XML. */
export type CloudFrontXml =
  string | number | boolean | Date | undefined | CloudFrontXml[] | { [key: string]: CloudFrontXml };

function element(name: string, value: CloudFrontXml): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') return `<${name}>${children(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function children(value: { [key: string]: CloudFrontXml }): string {
  return Object.entries(value)
    .map(([key, child]) => element(key, child))
    .join('');
}

/** A whole document with its root in the CloudFront namespace. */
export function renderCloudFrontDocument(
  root: string,
  value: { [key: string]: CloudFrontXml },
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${CLOUDFRONT_XMLNS}">${children(value)}</${root}>`;
}

/** A parsed element: text, or children (repeated children become arrays). */
export type XmlNode = string | { [key: string]: XmlNode | XmlNode[] };

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  removeNSPrefix: true,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
});

/** Parses a request document and returns its root's children; throws `MalformedInput`. */
export function parseCloudFrontXml(
  text: string,
  root: string,
): Record<string, XmlNode | XmlNode[]> {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) {
    throw new CommonError('MalformedInput', 'Invalid XML document.');
  }
  const node = (parser.parse(text) as Record<string, unknown>)[root];
  if (node === '' || node === null) return {};
  if (node === undefined || typeof node !== 'object' || Array.isArray(node)) {
    throw new CommonError('MalformedInput', `Expected a ${root} document.`);
  }
  return node as Record<string, XmlNode | XmlNode[]>;
}

/** A child element as a list (absent → []). */
export function xmlList(node: XmlNode | XmlNode[] | undefined): XmlNode[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/** The text of a child element; `MalformedInput` when it has children or repeats. */
export function xmlText(parent: XmlNode | XmlNode[] | undefined, name: string): string | undefined {
  if (parent === undefined || typeof parent === 'string' || Array.isArray(parent)) return undefined;
  const child = parent[name];
  if (child === undefined) return undefined;
  if (typeof child !== 'string') {
    throw new CommonError('MalformedInput', `${name} must be a single text element.`);
  }
  return child;
}
