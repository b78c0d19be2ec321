import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { translator } from '../../i18n';
import { problemLines } from './api-problems';

const zh = translator('zh');

describe('API problems', () => {
  it('lists the catalog problems, unknown units and zod issues of a refusal', () => {
    const invalid = new ApiError(400, 'validation_failed', 'The duty catalog would have 1 error(s).', {
      code: 'invalid_catalog',
      problems: [
        { code: 'unknown_department', categoryCode: 'E01-01', message: 'goes to unknown department x' },
      ],
    });
    expect(problemLines(invalid, zh)).toEqual({
      headline: '职责清单有错误，未保存 (invalid_catalog)',
      lines: ['E01-01 · goes to unknown department x'],
    });
    expect(problemLines(invalid, zh, { invalid_catalog: 'depErrUnroutable' }).headline).toBe(
      '此修改会使职责清单无法派遣 (invalid_catalog)',
    );
    const units = new ApiError(400, 'validation_failed', 'No unit', {
      code: 'unknown_org_unit',
      field: 'servesOrgCodes',
      codes: ['110101999'],
    });
    expect(problemLines(units, zh)).toEqual({
      headline: '本市没有这些区划 (unknown_org_unit)',
      lines: ['110101999'],
    });
    const zod = new ApiError(400, 'validation_failed', 'The request json is not valid.', [
      { path: 'name', code: 'invalid_string', message: 'the name is written in Chinese' },
    ] as unknown as Record<string, unknown>);
    expect(problemLines(zod, zh)).toEqual({
      headline: '提交的内容不符合要求 (validation_failed)',
      lines: ['name: the name is written in Chinese'],
    });
    expect(problemLines(new ApiError(409, 'already_exists', 'exists', { field: 'id' }), zh).headline).toBe(
      '部门 ID 已被占用 (already_exists)',
    );
  });
});
