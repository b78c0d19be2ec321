import { wallClockAt } from '@civicgrid/domain';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type XmlContent, type XmlNode, xmlDocument } from './xml';

/** GeoReport v2 picks the format by the resource's extension; XML is the one every server must offer. */
export const open311Formats = ['json', 'xml'] as const;
export type Open311Format = (typeof open311Formats)[number];

export const contentTypes: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/**
 * The spec's error: a list of `{code, description}` whose code is the HTTP status. Thrown by
 * the Open311 handlers and rendered in the format the client asked for.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 429 | 500,
    readonly description: string,
  ) {
    super(description);
  }
}

/** A W3C datetime (ISO 8601 subset) with the city's UTC offset, e.g. 2026-05-01T08:00:00+08:00. */
export const w3cDatetime = (iso: string | undefined, timeZone: string): string | null => {
  if (!iso) return null;
  const instant = Date.parse(iso);
  const wall = wallClockAt(instant, timeZone);
  const seconds = Math.floor(wall.msOfDay / 1000);
  const wallAsUtc = Date.parse(`${wall.date}T00:00:00Z`) + seconds * 1000;
  const offsetMinutes = Math.round((wallAsUtc - Math.floor(instant / 1000) * 1000) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  if (offsetMinutes === 0) return `${wall.date}T${time}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${wall.date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};

/** W3C datetimes as the spec's filters take them: a date, or a date and time with Z or an offset. */
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const parseW3cDatetime = (value: string): Date | undefined => {
  if (!W3C.test(value)) return undefined;
  // Date.parse rolls 30 February over into March; a real calendar date survives a round trip.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
};

/** The element name of one entry of each list the spec's XML documents hold. */
const itemNames: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

type Plain = string | number | boolean | null | undefined | Plain[] | { [key: string]: Plain };

const toXml = (name: string, value: Plain): XmlNode => {
  if (Array.isArray(value)) {
    const item = itemNames[name] ?? 'item';
    return [name, value.map((entry) => toXml(item, entry))];
  }
  if (value !== null && typeof value === 'object') {
    return [name, Object.entries(value).map(([key, child]) => toXml(key, child))];
  }
  return [name, value as XmlContent];
};

/**
 * One response in the requested format: JSON as it is, XML with `root` around it (a list's
 * entries named by `itemNames`). Lists and objects keep the spec's field order.
 */
export const respond = (
  c: Context,
  format: Open311Format,
  root: string,
  body: Plain,
  status: ContentfulStatusCode = 200,
) => {
  const text = format === 'json' ? JSON.stringify(body) : xmlDocument(toXml(root, body));
  return c.body(text, status, { 'content-type': contentTypes[format] });
};

export const respondError = (c: Context, format: Open311Format, error: Open311Error) =>
  respond(c, format, 'errors', [{ code: error.status, description: error.description }], error.status);

/** The format named by a path's extension, or XML (the required one) when it names none we serve. */
export const formatOf = (path: string): Open311Format => (path.endsWith('.json') ? 'json' : 'xml');
