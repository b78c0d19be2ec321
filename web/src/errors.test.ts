import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { errorText } from './errors';
import { translator } from './i18n';

const zh = translator('zh');
const en = translator('en');

describe('errorText', () => {
  it('words a known API code in Chinese, and gives the API’s own message in English, with the code', () => {
    const suspended = new ApiError(403, 'tenant_suspended', 'The city is suspended.');
    expect(errorText(suspended, zh)).toBe('该城市已暂停服务 (tenant_suspended)');
    expect(errorText(suspended, en)).toBe('The city is suspended. (tenant_suspended)');
  });

  it('prefers the code inside the details, and names the field', () => {
    const error = new ApiError(404, 'not_found', 'The attachment has not been uploaded.', {
      code: 'not_uploaded',
    });
    expect(errorText(error, zh)).toBe('附件未上传完成 (not_uploaded)');
    const field = new ApiError(400, 'validation_failed', 'Bad.', { field: 'name' });
    expect(errorText(field, zh)).toBe('提交的内容不符合要求 · name (validation_failed)');
  });

  it('keeps the API’s message in Chinese when the console has no words for the code', () => {
    expect(errorText(new ApiError(409, 'wrong_level', 'Not at this level.'), zh)).toBe(
      '操作失败: Not at this level. (wrong_level)',
    );
    expect(errorText(new Error('offline'), zh)).toBe('offline');
  });
});
