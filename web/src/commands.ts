import type { CaseCommandType } from '@civicgrid/domain';
import type { MessageKey } from './i18n';

/** A field of a command form; `name` is the command's property. */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'category'
  | 'departments'
  | 'photos'
  | 'confirmed'
  | 'satisfaction'
  | 'datetime'
  | 'extension'
  | 'urging'
  /** The device's position on site, taken from the phone's location as "lon,lat". */
  | 'position'
  /** One of the open cases nearby that the API offers to merge into. */
  | 'primaryCase'
  | 'department';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  label: MessageKey;
  required: boolean;
}

const f = (name: string, kind: FieldKind, label: MessageKey, required = true): FieldSpec => ({
  name,
  kind,
  label,
  required,
});
const reason = f('reason', 'textarea', 'reason');
const note = f('note', 'textarea', 'note', false);
const onSite = f('position', 'position', 'devicePosition', false);

/** The fields each command asks for, as the API's command schema requires them. */
export const commandFields: Record<Exclude<CaseCommandType, 'report'>, FieldSpec[]> = {
  verify: [
    f('confirmed', 'confirmed', 'confirmed'),
    note,
    f('attachmentIds', 'photos', 'photo', false),
    onSite,
  ],
  register: [f('categoryCode', 'category', 'category'), note],
  reject: [reason],
  dispatch: [f('departmentIds', 'departments', 'departments'), note],
  accept: [],
  return: [reason],
  handle: [f('result', 'textarea', 'result'), f('evidenceIds', 'photos', 'evidence')],
  startCheck: [],
  checkPass: [note, f('attachmentIds', 'photos', 'photo', false), onSite],
  checkFail: [reason, f('attachmentIds', 'photos', 'photo', false), onSite],
  evaluate: [f('satisfaction', 'satisfaction', 'satisfaction'), f('comment', 'textarea', 'comment', false)],
  escalate: [reason],
  requestExtension: [reason, f('until', 'datetime', 'until')],
  approveExtension: [f('extensionId', 'extension', 'extensionId'), f('until', 'datetime', 'until', false)],
  rejectExtension: [f('extensionId', 'extension', 'extensionId'), reason],
  suspend: [reason],
  resume: [note],
  merge: [f('primaryId', 'primaryCase', 'primaryCase')],
  void: [reason],
  urge: [f('message', 'textarea', 'message')],
  acknowledgeUrging: [f('urgingId', 'urging', 'urgingId')],
};

export type FieldValue = string | string[] | boolean | number | undefined;

/** Commands that change nothing but the record are shown apart from the steps of the loop. */
export const isEmpty = (value: FieldValue) =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The command body from the form's values: optional fields left empty are omitted, numbers and
 * times converted; answers the names of required fields still missing instead when any are.
 */
export const buildCommand = (
  type: Exclude<CaseCommandType, 'report'>,
  values: Record<string, FieldValue>,
): { body: Record<string, unknown> } | { missing: string[] } => buildFrom(commandFields[type], type, values);

/** The same for any command described by field specs (the whistle commands too). */
export const buildFrom = (
  fields: readonly FieldSpec[],
  type: string,
  values: Record<string, FieldValue>,
): { body: Record<string, unknown> } | { missing: string[] } => {
  const body: Record<string, unknown> = { type };
  const missing: string[] = [];
  for (const field of fields) {
    const raw = values[field.name];
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (isEmpty(value)) {
      if (field.kind === 'confirmed') body[field.name] = false;
      else if (field.required) missing.push(field.name);
      continue;
    }
    switch (field.kind) {
      case 'satisfaction':
      case 'extension':
      case 'urging':
        body[field.name] = Number(value);
        break;
      case 'datetime':
        body[field.name] = new Date(String(value)).toISOString();
        break;
      case 'position':
        body[field.name] = String(value).split(',').map(Number);
        break;
      default:
        body[field.name] = value;
    }
  }
  return missing.length > 0 ? { missing } : { body };
};
