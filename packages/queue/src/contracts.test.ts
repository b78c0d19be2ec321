import { AppError, ValidationError } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { DomainEventSchema, messageGroupId, parseDomainEvent, validateDomainEvent } from './contracts';
import { makeEvent } from './fixtures';

describe('DomainEventSchema', () => {
  it('accepts a complete event and one without the optional fields', () => {
    const event = makeEvent();
    expect(DomainEventSchema.parse(event)).toEqual(event);
    const { actor: _actor, requestId: _requestId, ...minimal } = event;
    expect(DomainEventSchema.parse(minimal)).toEqual(minimal);
  });

  const base = makeEvent();
  it.each([
    ['a non-ULID id', { ...base, id: 'event-1' }],
    ['an undotted type', { ...base, type: 'created' }],
    ['an uppercase type', { ...base, type: 'Case.Created' }],
    ['a type with a trailing dot', { ...base, type: 'case.' }],
    ['a type with digits', { ...base, type: 'case.v2' }],
    ['an invalid tenant id', { ...base, tenantId: 'Demo City' }],
    ["'#' in the aggregate type", { ...base, aggregate: { type: 'ca#se', id: 'C-1' } }],
    ["'#' in the aggregate id", { ...base, aggregate: { type: 'case', id: 'C#1' } }],
    ['an empty aggregate id', { ...base, aggregate: { type: 'case', id: '' } }],
    ['an aggregate type over 40 characters', { ...base, aggregate: { type: 'c'.repeat(41), id: 'C-1' } }],
    ['an aggregate id over 100 characters', { ...base, aggregate: { type: 'case', id: 'c'.repeat(101) } }],
    ['an unknown aggregate field', { ...base, aggregate: { type: 'case', id: 'C-1', version: 1 } }],
    ['a timestamp that is not ISO 8601', { ...base, occurredAt: '05/01/2026' }],
    ['an actor without a role', { ...base, actor: { userId: 'u-1' } }],
    ['a payload that is an array', { ...base, payload: [] }],
    ['a missing payload', { ...base, payload: undefined }],
    ['an unknown top-level field', { ...base, extra: true }],
  ])('rejects %s', (_label, candidate) => {
    expect(DomainEventSchema.safeParse(candidate).success).toBe(false);
    expect(() => validateDomainEvent(candidate)).toThrow(ValidationError);
  });
});

describe('parseDomainEvent', () => {
  it('returns the event a body holds', () => {
    const event = makeEvent();
    expect(parseDomainEvent(JSON.stringify(event))).toEqual(event);
  });

  it('throws invalid_json for a body that is not JSON', () => {
    const error = (() => {
      try {
        parseDomainEvent('{"id":');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_json');
  });

  it('throws validation_failed naming the offending field', () => {
    const body = JSON.stringify({ ...makeEvent(), tenantId: 'NOPE' });
    expect(() => parseDomainEvent(body)).toThrow(/tenantId/);
    expect(() => parseDomainEvent(body)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('messageGroupId', () => {
  it('is tenant#aggregateType#aggregateId, shared by all events of one aggregate', () => {
    const first = makeEvent({ type: 'case.created' });
    const second = makeEvent({ type: 'case.assigned' });
    expect(messageGroupId(first)).toBe('demo-city#case#C-1');
    expect(messageGroupId(second)).toBe(messageGroupId(first));
    expect(messageGroupId(makeEvent({ aggregate: { type: 'case', id: 'C-2' } }))).not.toBe(
      messageGroupId(first),
    );
    expect(messageGroupId(makeEvent({ tenantId: 'other-city' }))).not.toBe(messageGroupId(first));
  });

  it('hashes aggregates SQS would reject as a group id, stably and distinctly', () => {
    const chinese = makeEvent({ aggregate: { type: 'grid', id: '朝阳区-网格-7' } });
    // 32 + 40 + 100 characters and two separators: over SQS's 128.
    const long = makeEvent({ aggregate: { type: 'c'.repeat(40), id: 'x'.repeat(100) } });
    const longTenant = makeEvent({ ...long, tenantId: 't'.repeat(32) });
    for (const event of [chinese, long, longTenant]) {
      expect(messageGroupId(event)).toMatch(new RegExp(`^${event.tenantId}#sha256#[0-9a-f]{64}$`));
      expect(messageGroupId(event)).toBe(messageGroupId({ ...event }));
    }
    expect(messageGroupId(chinese)).not.toBe(messageGroupId(long));
    expect(messageGroupId(longTenant)).not.toBe(messageGroupId(long));
    expect(messageGroupId(makeEvent({ aggregate: { type: 'grid', id: '朝阳区-网格-8' } }))).not.toBe(
      messageGroupId(chinese),
    );
  });
});
