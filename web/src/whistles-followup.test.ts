import { newId, type WhistleState } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { canFollowUp, followUpCases, parseFollowUpCaseIds } from './whistles';
import { actors, at, lifeOf, run } from './whistles.fixture';

describe('follow-up cases of a whistle', () => {
  it('offers to link follow-up cases exactly when the API lists the command', () => {
    const state = lifeOf().at(-1)?.[1] as WhistleState;
    expect(canFollowUp({ ...state, allowedCommands: ['followUp', 'rateWhistle'] })).toBe(true);
    expect(canFollowUp({ ...state, allowedCommands: ['rateWhistle'] })).toBe(false);
    expect(canFollowUp(state)).toBe(false);
  });

  it('lists the linked cases, and checks case numbers before sending', () => {
    const closed = lifeOf().at(-1)?.[1] as WhistleState;
    const [first, second, third] = [newId(), newId(), newId()];
    let s = run(closed, { type: 'followUp', caseIds: [first], note: '继续查处' }, actors.urbanMgmt, at(12));
    s = run(s, { type: 'followUp', caseIds: [second, third] }, actors.police, at(13));
    expect(followUpCases(s)).toEqual([
      { caseId: first, departmentId: 'urban-mgmt', at: at(12).toISOString(), note: '继续查处' },
      { caseId: second, departmentId: 'police', at: at(13).toISOString() },
      { caseId: third, departmentId: 'police', at: at(13).toISOString() },
    ]);
    const fresh = newId();
    expect(parseFollowUpCaseIds(` ${fresh.toLowerCase()}，\n${fresh}`, s)).toEqual({ caseIds: [fresh] });
    expect(parseFollowUpCaseIds('', s)).toEqual({ problem: 'caseIdsInvalid', ids: [] });
    expect(parseFollowUpCaseIds(`${fresh}, CASE-1`, s)).toEqual({
      problem: 'caseIdsInvalid',
      ids: ['CASE-1'],
    });
    expect(parseFollowUpCaseIds(`${fresh} ${first}`, s)).toEqual({ problem: 'caseIdsLinked', ids: [first] });
    const many = Array.from({ length: 21 }, () => newId()).join(',');
    expect(parseFollowUpCaseIds(many, s)).toMatchObject({ problem: 'caseIdsInvalid' });
  });
});
