import { AppError, decideWhistle, defaultWhistleSettings, newId, type WhistleState } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { canFollowUp, followUpCases, parseFollowUpCaseIds } from './whistles';
import { actors, at, lifeOf, run, viewerOf } from './whistles.fixture';

describe('follow-up cases of a whistle', () => {
  it('offers to link follow-up cases exactly when the whistle machine would accept it', () => {
    const mismatches: string[] = [];
    let accepted = 0;
    for (const [name, state, now] of lifeOf()) {
      for (const [actorName, actor] of Object.entries(actors)) {
        let ok = true;
        try {
          decideWhistle(state, { type: 'followUp', caseIds: [newId()] }, actor, now, defaultWhistleSettings);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          ok = false;
        }
        if (ok) accepted += 1;
        if (canFollowUp(state, viewerOf(actor)) !== ok) mismatches.push(`${name} ${actorName}: ${ok}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The two summoned departments, while acting and once closed.
    expect(accepted).toBe(4);
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
