import { afterEach, describe, expect, it } from 'vitest';
import { baseMapStyle, blankStyle, setMapStyleUrl } from './mapStyle';

const amazon =
  'https://maps.geo.ap-southeast-1.amazonaws.com/v2/styles/Standard/descriptor?color-scheme=Light&key=v1.public.abc';

afterEach(() => setMapStyleUrl(undefined));

describe('the base map style', () => {
  it('is blank, needing no tiles, when the console is local', () => {
    expect(baseMapStyle()).toEqual({ style: blankStyle, remote: false });
  });

  it('is the Amazon Location style /config.json names when deployed', () => {
    setMapStyleUrl(amazon);
    expect(baseMapStyle()).toEqual({ style: amazon, remote: true });
  });

  it('ignores anything but an https URL', () => {
    for (const bad of ['', 'not a url', 'http://maps.example/style.json', 'javascript:alert(1)', 42, null]) {
      setMapStyleUrl(bad);
      expect(baseMapStyle().remote).toBe(false);
    }
  });
});
