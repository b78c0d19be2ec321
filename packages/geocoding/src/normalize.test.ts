import { describe, expect, it } from 'vitest';
import {
  analyseAddress,
  bigrams,
  chineseNumeralToArabic,
  normalizeAddress,
  stripAdminPrefixes,
} from './normalize';

describe('normalizeAddress', () => {
  it('turns full-width digits and latin into half-width, lower-cased', () => {
    expect(normalizeAddress('南池子大街１２号')).toBe('南池子大街12号');
    expect(normalizeAddress('ＳＯＨＯ尚都 Ｂ座')).toBe('soho尚都b座');
  });

  it('strips spaces and Chinese and latin punctuation', () => {
    expect(normalizeAddress(' 东城区，南池子大街（东侧）12号。')).toBe('东城区南池子大街东侧12号');
    expect(normalizeAddress('故宫博物院、景山公园 (北门)')).toBe('故宫博物院景山公园北门');
    expect(normalizeAddress('南池子大街—12号　')).toBe('南池子大街12号');
  });

  it('keeps a dash between digits so 12-3号 does not become 123号', () => {
    expect(normalizeAddress('交道口南大街12－3号')).toBe('交道口南大街12-3号');
    expect(normalizeAddress('交道口南大街12 — 3号')).toBe('交道口南大街12-3号');
  });

  it('writes Chinese numerals in house, building and room numbers as digits', () => {
    expect(normalizeAddress('南池子大街十二号')).toBe('南池子大街12号');
    expect(normalizeAddress('南池子大街二十号')).toBe('南池子大街20号');
    expect(normalizeAddress('安定门内大街一百零五號')).toBe('安定门内大街105号');
    expect(normalizeAddress('五号楼二〇八室')).toBe('5号楼208室');
  });

  it('leaves numerals that are part of a name alone', () => {
    expect(normalizeAddress('东四十条')).toBe('东四十条');
    expect(normalizeAddress('三里屯')).toBe('三里屯');
    expect(normalizeAddress('东四十条二号')).toBe('东四十条2号');
  });
});

describe('chineseNumeralToArabic', () => {
  it.each([
    ['十', '10'],
    ['十二', '12'],
    ['二十', '20'],
    ['三十五', '35'],
    ['一百零五', '105'],
    ['一千二百', '1200'],
    ['两', '2'],
    ['二〇八', '208'],
  ])('%s → %s', (numeral, digits) => {
    expect(chineseNumeralToArabic(numeral)).toBe(digits);
  });

  it('gives up on numerals that are not a plain number', () => {
    expect(chineseNumeralToArabic('十十')).toBeUndefined();
    expect(chineseNumeralToArabic('')).toBeUndefined();
  });
});

describe('stripAdminPrefixes', () => {
  it('splits off city, district and subdistrict', () => {
    expect(stripAdminPrefixes('北京市东城区东华门街道南池子大街12号')).toEqual({
      prefixes: { city: '北京市', district: '东城区', subdistrict: '东华门街道' },
      core: '南池子大街12号',
    });
    expect(stripAdminPrefixes('广东省广州市天河区石牌街道天河路1号')).toEqual({
      prefixes: { province: '广东省', city: '广州市', district: '天河区', subdistrict: '石牌街道' },
      core: '天河路1号',
    });
  });

  it('handles any subset of levels', () => {
    expect(stripAdminPrefixes('东华门街道南池子大街12号')).toEqual({
      prefixes: { subdistrict: '东华门街道' },
      core: '南池子大街12号',
    });
    expect(stripAdminPrefixes('南池子大街12号')).toEqual({ prefixes: {}, core: '南池子大街12号' });
  });

  it('does not mistake 小区, 社区 or 菜市 for admin units', () => {
    expect(stripAdminPrefixes('幸福小区3号楼').prefixes).toEqual({});
    expect(stripAdminPrefixes('社区服务中心').prefixes).toEqual({});
    expect(stripAdminPrefixes('东单菜市场').prefixes).toEqual({});
  });

  it('keeps a unit that is the whole name', () => {
    expect(stripAdminPrefixes('东城区')).toEqual({ prefixes: {}, core: '东城区' });
    expect(stripAdminPrefixes('东城区东华门街道')).toEqual({
      prefixes: { district: '东城区' },
      core: '东华门街道',
    });
  });
});

describe('analyseAddress', () => {
  it('finds the house number and the street before it', () => {
    expect(analyseAddress('东城区南池子大街甲１２号院')).toMatchObject({
      core: '南池子大街甲12号院',
      houseNumber: '甲12',
      street: '南池子大街',
    });
    expect(analyseAddress('南池子大街12')).toMatchObject({ houseNumber: '12', street: '南池子大街' });
  });

  it('has no house number for a place name or a metro line', () => {
    expect(analyseAddress('故宫博物院').houseNumber).toBeUndefined();
    expect(analyseAddress('地铁5号线东四站').houseNumber).toBeUndefined();
  });
});

describe('bigrams', () => {
  it('gives distinct character pairs, or the character itself for one character', () => {
    expect(bigrams('景山公园')).toEqual(['景山', '山公', '公园']);
    expect(bigrams('哈哈哈')).toEqual(['哈哈']);
    expect(bigrams('院')).toEqual(['院']);
    expect(bigrams('')).toEqual([]);
  });
});
