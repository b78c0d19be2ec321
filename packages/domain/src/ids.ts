import { monotonicFactory } from 'ulid';

// Monotonic so that ids minted in the same millisecond still sort in creation order,
// which keeps sort keys built from them chronological.
const nextUlid = monotonicFactory();

const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export type Id = string;

export const newId = (now: number = Date.now()): Id => nextUlid(now);

export const isId = (value: string): boolean => ULID_PATTERN.test(value);
