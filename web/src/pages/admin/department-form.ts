import {
  type Contact,
  ContactSchema,
  type Department,
  type DepartmentKind,
  DepartmentSchema,
} from '@civicgrid/domain';
import type { MessageKey } from '../../i18n';

/** A department as the API answers it: the stored fields with their version and stamps. */
export interface DepartmentView extends Department {
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The editor's fields, as typed: contacts one per line, served unit codes comma separated. */
export interface DepartmentForm {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  kind: DepartmentKind;
  contacts: string;
  servesOrgCodes: string;
}

export type DepartmentField = keyof DepartmentForm;

/** A field's problem: the message key, and the contact line it is about when there is one. */
export interface FieldProblem {
  key: MessageKey;
  line?: number;
}
export type FieldProblems = Partial<Record<DepartmentField, FieldProblem>>;

export type FormResult<T> =
  | { ok: true; body: T }
  | { ok: false; problems: FieldProblems }
  | { ok: false; unchanged: true };

export const emptyDepartmentForm: DepartmentForm = {
  id: '',
  code: '',
  name: '',
  nameEn: '',
  kind: 'on_call',
  contacts: '',
  servesOrgCodes: '',
};

export const contactLine = (contact: Contact) =>
  [contact.name, contact.phone, ...(contact.role ? [contact.role] : [])].join(', ');

export const formOf = (department: Department): DepartmentForm => ({
  id: department.id,
  code: department.code,
  name: department.name,
  nameEn: department.nameEn ?? '',
  kind: department.kind,
  contacts: department.contacts.map(contactLine).join('\n'),
  servesOrgCodes: department.servesOrgCodes.join(', '),
});

/**
 * Contacts one per line, "name, phone[, role]"; Chinese commas and tabs separate as well.
 * Answers the first malformed line (1-based) when there is one.
 */
export const parseContacts = (text: string): { contacts: Contact[]; badLine?: number } => {
  const contacts: Contact[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const [name = '', phone = '', ...rest] = raw.split(/[,，\t]/).map((part) => part.trim());
    const role = rest.join(', ').trim();
    const parsed = ContactSchema.safeParse({ name, phone, ...(role ? { role } : {}) });
    if (!parsed.success) return { contacts, badLine: index + 1 };
    contacts.push(parsed.data);
  }
  return { contacts };
};

export const parseCodes = (text: string): string[] =>
  text
    .split(/[\s,，、;；]+/)
    .map((code) => code.trim())
    .filter((code) => code !== '');

const problemKeys: Record<DepartmentField, MessageKey> = {
  id: 'depErrId',
  code: 'depErrCode',
  name: 'depErrName',
  nameEn: 'depErrNameEn',
  kind: 'depErrCode',
  contacts: 'depErrContacts',
  servesOrgCodes: 'depErrServes',
};

/** Checks the whole form with the domain's own schema, so the console refuses what the API would. */
const checked = (
  form: DepartmentForm,
): { ok: true; department: Department } | { ok: false; problems: FieldProblems } => {
  const problems: FieldProblems = {};
  const { contacts, badLine } = parseContacts(form.contacts);
  if (badLine !== undefined) problems.contacts = { key: 'depErrContacts', line: badLine };
  const candidate = {
    id: form.id.trim(),
    code: form.code.trim(),
    name: form.name.trim(),
    ...(form.nameEn.trim() ? { nameEn: form.nameEn.trim() } : {}),
    kind: form.kind,
    contacts,
    servesOrgCodes: parseCodes(form.servesOrgCodes),
  };
  const parsed = DepartmentSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as DepartmentField;
      if (field in problemKeys && !problems[field]) {
        problems[field] =
          field === 'contacts'
            ? { key: 'depErrContacts', line: contacts.length + 1 }
            : { key: problemKeys[field] };
      }
    }
  }
  if (Object.keys(problems).length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, department: parsed.data };
};

/** The body of POST /v1/departments. */
export const createBody = (form: DepartmentForm): FormResult<Department> => {
  const result = checked(form);
  return result.ok ? { ok: true, body: result.department } : result;
};

export type DepartmentPatch = Partial<Omit<Department, 'id'>> & { version: number };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The body of PATCH /v1/departments/{id}: only what changed, with the version read, since the
 * API merges the fields it is given. It cannot remove the English name, so clearing it is refused.
 */
export const patchBody = (current: DepartmentView, form: DepartmentForm): FormResult<DepartmentPatch> => {
  const result = checked({ ...form, id: current.id });
  if (!result.ok) return result;
  const next = result.department;
  if (current.nameEn && !next.nameEn) return { ok: false, problems: { nameEn: { key: 'depErrNameEnKeep' } } };
  const fields = ['code', 'name', 'nameEn', 'kind', 'contacts', 'servesOrgCodes'] as const;
  const changes: Partial<Omit<Department, 'id'>> = {};
  for (const field of fields) {
    if (next[field] !== undefined && !same(next[field], current[field])) {
      Object.assign(changes, { [field]: next[field] });
    }
  }
  if (Object.keys(changes).length === 0) return { ok: false, unchanged: true };
  return { ok: true, body: { version: current.version, ...changes } };
};
