import {
  checkStaffing,
  communityKindOf,
  emptyRoster,
  type Roster,
  type RosterMember,
  type StaffingModel,
  type StaffingReport,
  staffingModel,
} from '@civicgrid/domain';

/** A grid's people as the editor holds them: every field a string, blank rows allowed while typing. */
export interface MemberForm {
  name: string;
  phone: string;
  /** The member's console account, kept as it came: the editor does not change it. */
  userId?: string;
}

export const singleRoles = ['liaison', 'gridHead'] as const;
export const listRoles = ['fullTime', 'partTime', 'volunteers'] as const;
export type SingleRole = (typeof singleRoles)[number];
export type ListRole = (typeof listRoles)[number];

export interface RosterForm {
  liaison: MemberForm;
  gridHead: MemberForm;
  fullTime: MemberForm[];
  partTime: MemberForm[];
  volunteers: MemberForm[];
  supervisors: string[];
}

/** The API's limits (packages/api/src/org/schemas.ts), checked before anything is sent. */
export const NAME_MAX = 40;
export const listMax: Record<ListRole, number> = { fullTime: 20, partTime: 50, volunteers: 200 };
export const SUPERVISORS_MAX = 2;
/** A mainland mobile (1 and 10 digits) or a landline with its area code (0 + 2–3 digits, 7–8 digits). */
export const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

export const blankMember = (): MemberForm => ({ name: '', phone: '' });

const memberForm = (member: RosterMember | undefined): MemberForm =>
  member
    ? { name: member.name, phone: member.phone ?? '', ...(member.userId ? { userId: member.userId } : {}) }
    : blankMember();

/** The form for a grid's stored roster and supervisors (none yet: every field blank). */
export const rosterToForm = (roster: Partial<Roster> | undefined, supervisors?: string[]): RosterForm => ({
  liaison: memberForm(roster?.liaison),
  gridHead: memberForm(roster?.gridHead),
  fullTime: (roster?.fullTime ?? []).map(memberForm),
  partTime: (roster?.partTime ?? []).map(memberForm),
  volunteers: (roster?.volunteers ?? []).map(memberForm),
  supervisors: [...(supervisors ?? [])],
});

const isBlank = (member: MemberForm) => !member.name.trim() && !member.phone.trim();

const memberOf = (member: MemberForm): RosterMember => {
  const phone = member.phone.trim();
  return {
    name: member.name.trim(),
    ...(phone ? { phone } : {}),
    ...(member.userId ? { userId: member.userId } : {}),
  };
};

/** The roster the form describes: blank rows and a blank liaison or grid head are no one. */
export const formToRoster = (form: RosterForm): Roster => ({
  ...(isBlank(form.liaison) ? {} : { liaison: memberOf(form.liaison) }),
  ...(isBlank(form.gridHead) ? {} : { gridHead: memberOf(form.gridHead) }),
  fullTime: form.fullTime.filter((m) => !isBlank(m)).map(memberOf),
  partTime: form.partTime.filter((m) => !isBlank(m)).map(memberOf),
  volunteers: form.volunteers.filter((m) => !isBlank(m)).map(memberOf),
});

export const formSupervisors = (form: RosterForm): string[] =>
  form.supervisors.map((s) => s.trim()).filter(Boolean);

/** What is wrong with one field; the page says it in the admin's language. */
export type RosterProblem =
  | 'nameRequired'
  | 'nameTooLong'
  | 'phoneInvalid'
  | 'tooMany'
  | 'supervisorsTooMany'
  | 'supervisorsCannotClear';

/**
 * Field paths: `liaison.name`, `fullTime.2.phone`, `volunteers` (the list), `supervisors.0`,
 * `supervisors` (the list) — so each message stands next to its input.
 */
export type RosterErrors = Record<string, RosterProblem>;

const checkMember = (member: MemberForm, path: string, errors: RosterErrors) => {
  if (isBlank(member)) return;
  const name = member.name.trim();
  if (!name) errors[`${path}.name`] = 'nameRequired';
  else if (name.length > NAME_MAX) errors[`${path}.name`] = 'nameTooLong';
  const phone = member.phone.trim();
  if (phone && !PHONE.test(phone)) errors[`${path}.phone`] = 'phoneInvalid';
};

/**
 * The API's rules for a roster, field by field: a name for everyone listed (1–40 characters), phones
 * in a mainland format, lists within their limits, and 1–2 supervisors when any are given. The API
 * cannot clear a grid's supervisors, so a grid that had some keeps at least one. Empty: nothing wrong.
 */
export const validateRoster = (form: RosterForm, hadSupervisors = false): RosterErrors => {
  const errors: RosterErrors = {};
  for (const role of singleRoles) checkMember(form[role], role, errors);
  for (const role of listRoles) {
    form[role].forEach((member, index) => {
      checkMember(member, `${role}.${index}`, errors);
    });
    if (form[role].filter((m) => !isBlank(m)).length > listMax[role]) errors[role] = 'tooMany';
  }
  form.supervisors.forEach((name, index) => {
    if (name.trim().length > NAME_MAX) errors[`supervisors.${index}`] = 'nameTooLong';
  });
  const supervisors = formSupervisors(form);
  if (supervisors.length > SUPERVISORS_MAX) errors.supervisors = 'supervisorsTooMany';
  else if (supervisors.length === 0 && hadSupervisors) errors.supervisors = 'supervisorsCannotClear';
  return errors;
};

/** The PATCH body for the roster (and the supervisors when there are any), at the version read. */
export const rosterPatch = (form: RosterForm, version: number) => {
  const supervisors = formSupervisors(form);
  return {
    version,
    roster: formToRoster(form),
    ...(supervisors.length > 0 ? { supervisors } : {}),
  };
};

/**
 * The grid's staffing as the form stands, by the domain's rule (4+X urban basic, 3+X village basic,
 * 2+X exclusive); the community's kind comes from the parent's code, as the API derives it.
 */
export const formStaffing = (
  form: RosterForm,
  gridKind: 'basic' | 'exclusive' | undefined,
  parentCode: string | undefined,
): StaffingReport =>
  checkStaffing(staffingModel(gridKind ?? 'basic', communityKindOf(parentCode ?? '')), formToRoster(form));

/** The roles a model cannot do without (4+X: liaison, grid head, full-time and part-time workers). */
export const requiredRoles = (model: StaffingModel): ReadonlySet<string> =>
  new Set(checkStaffing(model, emptyRoster()).missing);
