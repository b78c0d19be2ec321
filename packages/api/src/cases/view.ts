import type { CaseEvent, CaseState, Principal, Role, Target } from '@civicgrid/domain';

/** Who calls reporters back or meets them on site sees their contact in full. */
const seesContact: readonly Role[] = ['street_center', 'district_center', 'grid_worker'];

export interface Contact {
  name?: string;
  phone?: string;
}

const maskPhone = (phone: string) =>
  phone.length >= 7
    ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`
    : '*'.repeat(phone.length);
const maskName = (name: string) => `${name.slice(0, 1)}${'*'.repeat(Math.max(1, name.length - 1))}`;

export const contactFor = (contact: Contact | undefined, viewer: Principal): Contact | undefined => {
  if (!contact) return undefined;
  if (seesContact.includes(viewer.role)) return contact;
  return {
    ...(contact.name ? { name: maskName(contact.name) } : {}),
    ...(contact.phone ? { phone: maskPhone(contact.phone) } : {}),
  };
};

/** Where a case sits for the policy: its grid, the departments working on it, its reporter. */
export const caseTarget = (state: CaseState): Omit<Target, 'tenantId'> => ({
  ...(state.location.gridCode ? { orgCode: state.location.gridCode } : { orgCode: state.handlingOrgCode }),
  departmentIds: state.assignments.map((a) => a.departmentId),
  ...(state.reporter.kind === 'citizen' ? { ownerUserId: state.reporter.userId } : {}),
});

/** The public tracking view: the steps and their times, nothing about people. */
export const trackingView = (state: CaseState, events: readonly CaseEvent[]) => ({
  status: state.status,
  reportedAt: state.reportedAt,
  ...(state.closedAt ? { closedAt: state.closedAt } : {}),
  steps: events.map((e) => ({ type: e.type, at: e.at })),
});
