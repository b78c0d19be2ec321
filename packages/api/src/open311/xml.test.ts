import { describe, expect, it } from 'vitest';
import { parseW3cDatetime, w3cDatetime } from './format';
import { escapeXml, xmlDocument } from './xml';

describe('the XML serializer', () => {
  it('escapes markup and quotes, keeps Chinese text, and drops characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"c"\'d\'')).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('井盖缺失 🚧')).toBe('井盖缺失 🚧');
    expect(escapeXml('bell\u0007 nul\u0000 ok\ttab\nline')).toBe('bell nul ok\ttab\nline');
    expect(escapeXml('lone \uD800 surrogate \uFFFE')).toBe('lone  surrogate ');
    // An escaped entity is escaped again, never passed through.
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('writes the declaration with UTF-8, empty elements for missing values, and nested lists', () => {
    expect(
      xmlDocument([
        'service_requests',
        [
          [
            'request',
            [
              ['service_request_id', '01J'],
              ['lat', 39.9],
              ['address', null],
              ['description', '垃圾 <多>'],
            ],
          ],
        ],
      ]),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request><service_request_id>01J</service_request_id>' +
        '<lat>39.9</lat><address/><description>垃圾 &lt;多&gt;</description></request></service_requests>',
    );
  });

  it('refuses element names that are not XML names', () => {
    expect(() => xmlDocument(['attribute[code]', 'x'])).toThrow();
  });
});

describe('W3C datetimes', () => {
  it('render in the city’s offset and parse dates, Z and offsets', () => {
    expect(w3cDatetime('2026-05-01T00:00:00.000Z', 'Asia/Shanghai')).toBe('2026-05-01T08:00:00+08:00');
    expect(w3cDatetime('2026-05-01T00:00:00.000Z', 'UTC')).toBe('2026-05-01T00:00:00Z');
    expect(w3cDatetime('2026-01-15T12:30:05.000Z', 'America/New_York')).toBe('2026-01-15T07:30:05-05:00');
    expect(w3cDatetime(undefined, 'Asia/Shanghai')).toBeNull();
    expect(parseW3cDatetime('2026-05-01T08:00:00+08:00')?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(parseW3cDatetime('2026-05-01')?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(parseW3cDatetime('2026-05-01T08:00:00')).toBeUndefined();
    expect(parseW3cDatetime('yesterday')).toBeUndefined();
    expect(parseW3cDatetime('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseW3cDatetime('2026-13-01')).toBeUndefined();
  });
});
