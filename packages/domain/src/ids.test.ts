import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids';

describe('ids', () => {
  it('are ULIDs that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 50 }, () => newId(1_700_000_000_000));
    expect(ids.every(isId)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId(1_700_000_000_001) > (ids.at(-1) as string)).toBe(true);
  });

  it('recognises what is not an id', () => {
    expect(isId('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(true);
    expect(isId('01ARZ3NDEKTSV4RRFFQ69G5FA')).toBe(false);
    expect(isId('01ARZ3NDEKTSV4RRFFQ69G5FAU')).toBe(false);
  });
});
