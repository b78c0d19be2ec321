import type { Role } from '../identity/roles';
import { newId } from '../ids';
import { type CaseChannel, type CaseLevel, type CaseState, type CaseStatus, needsVerification } from './case';
import type { CaseCommandInput } from './commands';
import type { CaseEvent } from './events';
import { naturalDeadlines } from './limits';
import { type CaseActor, decide, evolve } from './machine';

export const tenantId = 'demo-city';
export const district = '110101';
export const street = '110101001';
export const grid = '110101001002003';
export const categoryCode = 'E01-01';
export const resolve = naturalDeadlines();

const person = (userId: string, role: Role, scope: CaseActor['scope']): CaseActor => ({
  tenantId,
  userId,
  role,
  scope,
});
const department = (id: string) => person(`dp-${id}`, 'department', { kind: 'department', departmentId: id });

export const actors = {
  platform: person('op', 'platform_operator', { kind: 'platform' }),
  cityAdmin: person('admin', 'city_admin', { kind: 'city' }),
  district: person('dc', 'district_center', { kind: 'org', code: district }),
  otherDistrict: person('dc2', 'district_center', { kind: 'org', code: '110102' }),
  street: person('sc', 'street_center', { kind: 'org', code: street }),
  otherStreet: person('sc2', 'street_center', { kind: 'org', code: '110101002' }),
  community: person('cs', 'community_station', { kind: 'org', code: '110101001002' }),
  gridWorker: person('gw', 'grid_worker', { kind: 'org', code: grid }),
  otherGridWorker: person('gw2', 'grid_worker', { kind: 'org', code: '110101001002004' }),
  urbanMgmt: department('urban-mgmt'),
  marketReg: department('market-reg'),
  traffic: department('traffic'),
  citizen: person('ct', 'citizen', { kind: 'self' }),
  otherCitizen: person('ct2', 'citizen', { kind: 'self' }),
} satisfies Record<string, CaseActor>;

export const departmentActor = (id: string): CaseActor => department(id);

/** The reporter the public intake mints for a report without an account. */
export const anonymousReporter = person('anon-01', 'citizen', { kind: 'self' });

/** One actor per role, placed so that it reaches the cases `stateIn` builds at `level`. */
export const actorFor = (role: Role, level: CaseLevel = 'street'): CaseActor => {
  switch (role) {
    case 'platform_operator':
      return actors.platform;
    case 'city_admin':
      return actors.cityAdmin;
    case 'district_center':
      return actors.district;
    case 'street_center':
      return level === 'district' ? actors.district : actors.street;
    case 'community_station':
      return actors.community;
    case 'grid_worker':
      return actors.gridWorker;
    case 'department':
      return actors.urbanMgmt;
    case 'citizen':
      return actors.citizen;
  }
};

let clock = Date.parse('2026-03-02T01:00:00.000Z');
/** Each call is a minute later, so that event times are ordered. */
export const tick = (): Date => {
  clock += 60_000;
  return new Date(clock);
};

export const decideAt = (
  state: CaseState | undefined,
  command: CaseCommandInput,
  actor: CaseActor,
  now = tick(),
) => decide(state, command, actor, now, resolve);

/** Decides and folds the events that belong to this case. */
export const run = (
  state: CaseState | undefined,
  command: CaseCommandInput,
  actor: CaseActor,
  now = tick(),
): CaseState => {
  const { events } = decideAt(state, command, actor, now);
  const id = state?.id ?? events[0]?.caseId;
  return events
    .filter((event: CaseEvent) => event.caseId === id)
    .reduce<CaseState | undefined>(evolve, state) as CaseState;
};

export interface Options {
  channel?: CaseChannel;
  level?: CaseLevel;
  departments?: string[];
}

const reporterOf: Record<CaseChannel, CaseActor> = {
  citizen: actors.citizen,
  patrol: actors.gridWorker,
  hotline: actors.street,
  whistle: actors.street,
  api: actors.cityAdmin,
  web: anonymousReporter,
  open311: anonymousReporter,
};

export const report = (options: Options = {}): CaseState => {
  const channel = options.channel ?? 'citizen';
  return run(
    undefined,
    {
      type: 'report',
      caseId: newId(),
      channel,
      description: 'a manhole cover is missing',
      location: { point: [116.41, 39.91], gridCode: grid, address: '东城区某胡同 1 号' },
      ...(options.level === 'district' ? { handlingOrgCode: district } : {}),
    },
    reporterOf[channel],
  );
};

/**
 * A case brought to `status` through the machine itself, so that fixtures never hold a state
 * the machine could not reach.
 */
export const stateIn = (status: CaseStatus, options: Options = {}): CaseState => {
  const channel = options.channel ?? 'citizen';
  const center = options.level === 'district' ? actors.district : actors.street;
  const departments = options.departments ?? ['urban-mgmt'];
  switch (status) {
    case 'reported':
      return report(options);
    case 'verifying':
      return run(stateIn('reported', options), { type: 'verify', confirmed: true }, actors.gridWorker);
    case 'registered': {
      const before = needsVerification(channel) ? 'verifying' : 'reported';
      return run(stateIn(before, options), { type: 'register', categoryCode }, center);
    }
    case 'dispatched':
      return run(stateIn('registered', options), { type: 'dispatch', departmentIds: departments }, center);
    case 'accepted':
      return departments.reduce(
        (state, id) => run(state, { type: 'accept' }, departmentActor(id)),
        stateIn('dispatched', options),
      );
    case 'handled':
      return departments.reduce(
        (state, id) =>
          run(
            state,
            { type: 'handle', result: 'cover replaced', evidenceIds: ['photo-1'] },
            departmentActor(id),
          ),
        stateIn('accepted', options),
      );
    case 'checking':
      return run(stateIn('handled', options), { type: 'startCheck' }, actors.gridWorker);
    case 'rework':
      return run(
        stateIn('checking', options),
        { type: 'checkFail', reason: 'cover loose' },
        actors.gridWorker,
      );
    case 'closed':
      return run(stateIn('checking', options), { type: 'checkPass' }, actors.gridWorker);
    case 'evaluated':
      return run(
        stateIn('closed', options),
        { type: 'evaluate', satisfaction: 5 },
        channel === 'citizen' ? actors.citizen : center,
      );
    case 'rejected':
      return run(stateIn('reported', options), { type: 'reject', reason: 'not a public matter' }, center);
    case 'suspended':
      return run(
        stateIn('registered', options),
        { type: 'suspend', reason: 'needs a district plan' },
        center,
      );
    case 'merged': {
      const primary = report(options);
      return run(stateIn('reported', options), { type: 'merge', primary }, center);
    }
    case 'voided':
      return run(stateIn('reported', options), { type: 'void', reason: 'entered twice by mistake' }, center);
  }
};
