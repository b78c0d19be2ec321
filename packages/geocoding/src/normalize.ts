/**
 * Text normalisation for Chinese addresses. The same functions run over gazetteer names when
 * they are indexed and over queries, so what matters most is that both sides agree.
 */

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

// Only numerals right before a house/building/room suffix: elsewhere they are part of names
// (东四十条, 三里屯, 二环路) and must stay as written.
const CN_HOUSE_NUMBER = /[零〇一二两三四五六七八九十百千]+(?=号|弄|栋|幢|楼|层|室|单元)/gu;

const PUNCTUATION_OR_SPACE = /[\s\p{P}\p{S}]+/gu;
const DASH = /[-‐‑‒–—―~]/u;
const DIGIT = /\d/u;

/**
 * '十二' → '12', '一百零五' → '105', '二〇八' → '208'. Returns undefined for anything that is
 * not a plain number (e.g. units out of order), which is then left as written.
 */
export const chineseNumeralToArabic = (numeral: string): string | undefined => {
  const chars = [...numeral];
  if (chars.length === 0) return undefined;
  if (!chars.some((c) => c in CN_UNITS)) {
    // Digit by digit, the way house numbers are often read out: 二〇八 = 208.
    return chars.map((c) => CN_DIGITS[c]).join('');
  }
  let total = 0;
  let current = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const c of chars) {
    const unit = CN_UNITS[c];
    if (unit === undefined) {
      current = CN_DIGITS[c] ?? 0;
      continue;
    }
    if (unit >= lastUnit) return undefined;
    // A leading unit means one of it: 十二 = 12.
    total += (current === 0 ? 1 : current) * unit;
    current = 0;
    lastUnit = unit;
  }
  return String(total + current);
};

/**
 * Full-width → half-width (NFKC), latin lower-cased, spaces and punctuation removed, Chinese
 * numerals in house numbers turned into digits. A dash between digits ('12-3号') is kept as '-'
 * because dropping it would turn 12-3号 into a different house, 123号.
 */
export const normalizeAddress = (text: string): string => {
  const stripped = text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('號', '号')
    .replace(PUNCTUATION_OR_SPACE, (run: string, offset: number, whole: string) =>
      DASH.test(run) && DIGIT.test(whole[offset - 1] ?? '') && DIGIT.test(whole[offset + run.length] ?? '')
        ? '-'
        : '',
    );
  return stripped.replace(CN_HOUSE_NUMBER, (numeral) => chineseNumeralToArabic(numeral) ?? numeral);
};

export interface AdminPrefixes {
  /** 省 / 自治区 / 特别行政区 */
  province?: string;
  /** 市 */
  city?: string;
  /** 区 / 县 / 旗 */
  district?: string;
  /** 街道 / 镇 / 乡 */
  subdistrict?: string;
}

type AdminLevel = keyof AdminPrefixes;

// Stems are 2-5 Han characters without the level's own suffix; the look-behinds keep words that
// merely end in the suffix (超市, 菜市口, 小区, 园区, 社区, 景区) from being read as admin units.
const ADMIN_LEVELS: ReadonlyArray<readonly [AdminLevel, RegExp]> = [
  ['province', /^(?:(?!省|自治区|特别行政区)\p{Script=Han}){2,7}?(?:省|自治区|特别行政区)/u],
  ['city', /^(?:(?!市)\p{Script=Han}){2,4}?(?<![超菜夜门集花鸟股])市/u],
  ['district', /^(?:(?![区县旗])\p{Script=Han}){2,5}?(?<![小园社景校厂营矿商住])[区县旗]/u],
  ['subdistrict', /^(?:(?!街道|镇|乡)\p{Script=Han}){2,5}?(?:街道|镇|乡)/u],
];

// A name that is only an admin unit ('东城区') keeps it, so it still has something to match on.
const MIN_CORE_LENGTH = 2;

/**
 * Splits leading admin units off a normalised address: '北京市东城区东华门街道南池子大街12号' →
 * { city: '北京市', district: '东城区', subdistrict: '东华门街道' } + '南池子大街12号'. Queries
 * often leave them out, so matching is done on the rest and the units are only compared when
 * both sides name the same level.
 */
export const stripAdminPrefixes = (normalized: string): { prefixes: AdminPrefixes; core: string } => {
  const prefixes: AdminPrefixes = {};
  let core = normalized;
  for (const [level, pattern] of ADMIN_LEVELS) {
    const match = pattern.exec(core);
    if (!match) continue;
    const rest = core.slice(match[0].length);
    if ([...rest].length < MIN_CORE_LENGTH) break;
    prefixes[level] = match[0];
    core = rest;
  }
  return { prefixes, core };
};

// The first number followed by 号, or a number ending the text ('南池子大街12'); 甲/乙 are
// distinct doors. '5号线' is a metro line, not a house.
const HOUSE_NUMBER = /([甲乙丙丁]?\d+(?:-\d+)*)(?:号(?!线)|$)/u;

export interface AnalysedAddress {
  normalized: string;
  prefixes: AdminPrefixes;
  /** Without the leading admin units. */
  core: string;
  houseNumber?: string;
  /** The part of the core before the house number (the whole core when there is none). */
  street: string;
  /** The part after the house number and its 号, e.g. '院3号楼'. */
  rest: string;
}

export const analyseAddress = (text: string): AnalysedAddress => {
  const normalized = normalizeAddress(text);
  const { prefixes, core } = stripAdminPrefixes(normalized);
  const house = HOUSE_NUMBER.exec(core);
  if (!house?.[1]) return { normalized, prefixes, core, street: core, rest: '' };
  return {
    normalized,
    prefixes,
    core,
    houseNumber: house[1],
    street: core.slice(0, house.index),
    rest: core.slice(house.index + house[0].length),
  };
};

/** Distinct character bigrams; a one-character text is its own token so it can still match. */
export const bigrams = (text: string): string[] => {
  const chars = [...text];
  if (chars.length === 1) return chars;
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return [...out];
};
