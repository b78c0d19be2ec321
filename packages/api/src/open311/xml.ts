/**
 * The few XML documents GeoReport v2 defines are flat trees of text elements, so a small
 * serializer written here is enough, and keeps the escaping in one place where a test can
 * pin it down (ampersands, angle brackets, quotes, control characters, Chinese text).
 */

/** A text value, empty (null/undefined gives `<name/>`) or child elements in order. */
export type XmlContent = string | number | boolean | null | undefined | readonly XmlNode[];
export type XmlNode = readonly [name: string, content: XmlContent];

/** Characters XML 1.0 does not allow at all, even escaped (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F). */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const escapeXml = (text: string): string =>
  text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const render = ([name, content]: XmlNode, out: string[]): void => {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (content === null || content === undefined) {
    out.push(`<${name}/>`);
    return;
  }
  if (Array.isArray(content)) {
    out.push(`<${name}>`);
    for (const child of content as readonly XmlNode[]) render(child, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(content))}</${name}>`);
};

/** A whole document: the declaration with its UTF-8 encoding (as the spec asks), then the root. */
export const xmlDocument = (root: XmlNode): string => {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  render(root, out);
  return out.join('');
};
