import { ValidationError } from '@civicgrid/domain';
import { z } from 'zod';
import { clampLimit, type GeocodeOptions, type GeocodeResult, type Geocoder } from './geocoder';
import { type AdminPrefixes, type AnalysedAddress, analyseAddress, bigrams } from './normalize';

export interface GazetteerEntry {
  /** Shown as the result label, e.g. '东城区东华门街道南池子大街12号' or '故宫博物院'. */
  name: string;
  aliases?: string[];
  kind?: string;
  /** WGS84 [lon, lat]. */
  point: [number, number];
}

export interface GazetteerOptions {
  /** Results scoring below this are dropped. */
  threshold?: number;
}

const DEFAULT_THRESHOLD = 0.35;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

// Candidates are admitted on whole-text token similarity; the final score (street-only when
// both sides have a house number, plus character overlap) can come out a little higher, so admit
// slightly below the result threshold.
const ADMISSION_SLACK = 0.05;
// Scores are rounded so that "equal" is meaningful when `near` breaks ties.
const SCORE_DECIMALS = 4;

const HOUSE_MATCH_BONUS = 0.1;
// Another house on the same street is still a useful place to put a report; another house on a
// merely similar street is not, and this keeps it under the threshold.
const OTHER_HOUSE_PENALTY = 0.25;
const ADMIN_CONFLICT_PENALTY = 0.2;
// Streets at least this similar are taken to be the same street, typos included.
const SAME_STREET = 0.6;

const PositionSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)], z.number());

const FeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('Point'), coordinates: PositionSchema }),
  properties: z.object({
    name: z.string().trim().min(1),
    aliases: z.array(z.string().trim().min(1)).optional(),
    kind: z.string().optional(),
  }),
});

const CollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

const describeIssues = (error: z.ZodError) => z.prettifyError(error).replaceAll('\n', '; ');

const geometryTypeOf = (feature: unknown): string => {
  if (typeof feature !== 'object' || feature === null) return 'not a feature';
  const geometry = (feature as { geometry?: unknown }).geometry;
  if (typeof geometry !== 'object' || geometry === null) return 'no geometry';
  const type = (geometry as { type?: unknown }).type;
  return typeof type === 'string' ? type : 'no geometry type';
};

/** A text's tokens as ids, plus its distinct characters, precomputed for cheap comparison. */
interface Tokens {
  /** Distinct token ids (bigrams, or a house number in a core). */
  ids: Uint32Array;
  /** Distinct tokens, including any the index has never seen. */
  size: number;
  /** Distinct characters, for typo tolerance. */
  chars: string[];
}

/** One searchable spelling of an entry: its name or one of its aliases. */
interface Variant {
  entry: number;
  /** Text without the leading admin units. */
  core: Tokens;
  /** The core before the house number. */
  street: Tokens;
  houseNumber: string | undefined;
  prefixes: AdminPrefixes;
}

interface QueryTokens {
  ids: Set<number>;
  size: number;
  chars: Set<string>;
}

interface Query {
  core: QueryTokens;
  street: QueryTokens;
  houseNumber: string | undefined;
  prefixes: AdminPrefixes;
}

/**
 * Bigram similarity from an overlap count: mostly Dice, plus how much of the query is covered,
 * so that an abbreviated query ('故宫') still reaches the full name ('故宫博物院').
 */
const overlapScore = (overlap: number, querySize: number, entrySize: number): number =>
  querySize === 0 ? 0 : 0.7 * ((2 * overlap) / (querySize + entrySize)) + 0.3 * (overlap / querySize);

/**
 * Character bigrams of the core, except that a house number is one token ('#12'): bigrams across
 * it (街1, 12, 2号) would make every 12号 in town look a little like every other.
 */
const coreTokens = ({ core, street, houseNumber, rest }: AnalysedAddress): string[] =>
  houseNumber === undefined
    ? bigrams(core)
    : [...new Set([...bigrams(street), `#${houseNumber}`, ...bigrams(rest)])];

const countShared = (mine: Iterable<number>, theirs: Set<number>): number => {
  let shared = 0;
  for (const id of mine) if (theirs.has(id)) shared++;
  return shared;
};

// Character overlap forgives a one-character typo in a short name (景山工园), which costs it
// two of its three bigrams; it gets a quarter of the weight.
const BIGRAM_WEIGHT = 0.75;
const CHAR_WEIGHT = 1 - BIGRAM_WEIGHT;

const charScore = (q: QueryTokens, v: Tokens): number => {
  let shared = 0;
  for (const c of v.chars) if (q.chars.has(c)) shared++;
  return overlapScore(shared, q.chars.size, v.chars.length);
};

const ADMIN_LEVELS = ['province', 'city', 'district', 'subdistrict'] as const;

const EARTH_RADIUS_M = 6_371_008.8;
const toRad = (deg: number) => (deg * Math.PI) / 180;
const distanceMetres = ([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number => {
  const dLat = toRad(lat2 - lat1);
  const dLon = toRad(lon2 - lon1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
};

const EMPTY_POSTINGS = new Uint32Array(0);

/**
 * A tenant's own address points and place names, searched by fuzzy matching tuned for Chinese
 * addresses: normalised text, leading admin units set aside, character-bigram similarity over an
 * inverted index (Chinese has no spaces to split words on, and bigrams carry most of the meaning).
 */
export class Gazetteer {
  readonly entries: readonly GazetteerEntry[];
  private readonly variants: Variant[] = [];
  private readonly tokenIds = new Map<string, number>();
  /** Token id → variants whose core has it. */
  private readonly postings: Uint32Array[] = [];
  /** Per-variant overlap counters, reused across searches and zeroed after each one. */
  private readonly counts: Uint32Array;
  private readonly threshold: number;

  constructor(entries: readonly GazetteerEntry[], options: GazetteerOptions = {}) {
    this.entries = entries;
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    const lists: number[][] = [];
    const idOf = (gram: string): number => {
      let id = this.tokenIds.get(gram);
      if (id === undefined) {
        id = lists.length;
        this.tokenIds.set(gram, id);
        lists.push([]);
      }
      return id;
    };
    const tokens = (grams: string[], text: string): Tokens => ({
      ids: Uint32Array.from(grams, idOf),
      size: grams.length,
      chars: [...new Set(text)],
    });

    entries.forEach((entry, index) => {
      const spellings = new Set([entry.name, ...(entry.aliases ?? [])]);
      for (const spelling of spellings) {
        const analysed = analyseAddress(spelling);
        const core = tokens(coreTokens(analysed), analysed.core);
        if (core.size === 0) continue;
        const variantId = this.variants.length;
        for (const id of core.ids) lists[id]?.push(variantId);
        this.variants.push({
          entry: index,
          core,
          street: tokens(bigrams(analysed.street), analysed.street),
          houseNumber: analysed.houseNumber,
          prefixes: analysed.prefixes,
        });
      }
    });
    for (const list of lists) this.postings.push(Uint32Array.from(list));
    this.counts = new Uint32Array(this.variants.length);
  }

  /**
   * Builds a gazetteer from a GeoJSON FeatureCollection of Points with properties
   * { name, aliases?, kind? }. Throws ValidationError naming the offending features.
   */
  static fromGeoJSON(featureCollection: unknown, options: GazetteerOptions = {}): Gazetteer {
    const collection = CollectionSchema.safeParse(featureCollection);
    if (!collection.success) {
      throw new ValidationError(
        `Gazetteer is not a GeoJSON FeatureCollection: ${describeIssues(collection.error)}`,
        collection.error.issues,
      );
    }
    const { features } = collection.data;

    // Checked apart from the schema so that an import of mixed geometries gets one clear message.
    const notPoints = features
      .map((feature, index) => ({ index, type: geometryTypeOf(feature) }))
      .filter(({ type }) => type !== 'Point');
    if (notPoints.length > 0) {
      const shown = notPoints.slice(0, 20).map(({ index, type }) => `${index} (${type})`);
      const more = notPoints.length > shown.length ? ` and ${notPoints.length - shown.length} more` : '';
      throw new ValidationError(
        `Gazetteer features must be Points; features at indexes ${shown.join(', ')}${more} are not.`,
        { indexes: notPoints.map(({ index }) => index) },
      );
    }

    const parsed = z.array(FeatureSchema).safeParse(features);
    if (!parsed.success) {
      throw new ValidationError(
        `Gazetteer features are not valid: ${describeIssues(parsed.error)}`,
        parsed.error.issues,
      );
    }
    const entries = parsed.data.map(({ geometry, properties }): GazetteerEntry => {
      const [lon, lat] = geometry.coordinates;
      return {
        name: properties.name,
        point: [lon, lat],
        ...(properties.aliases ? { aliases: properties.aliases } : {}),
        ...(properties.kind ? { kind: properties.kind } : {}),
      };
    });
    return new Gazetteer(entries, options);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Best first; results tied on score are ordered by distance from `near` when given. */
  search(query: string, options: GeocodeOptions = {}): GeocodeResult[] {
    const limit = clampLimit(options.limit, DEFAULT_LIMIT, MAX_LIMIT);
    const q = this.analyseQuery(query);
    if (q.core.size === 0) return [];

    const best = new Map<number, number>();
    for (const variant of this.candidates(q)) {
      const score = this.score(q, variant);
      if (score < this.threshold) continue;
      if (score > (best.get(variant.entry) ?? -1)) best.set(variant.entry, score);
    }

    const near = options.near;
    const ranked = [...best].map(([entry, score]) => {
      const e = this.entries[entry] as GazetteerEntry;
      return { entry, score, e, distance: near ? distanceMetres(near, e.point) : 0 };
    });
    ranked.sort((a, b) => b.score - a.score || a.distance - b.distance || a.entry - b.entry);
    return ranked.slice(0, limit).map(({ e, score }) => ({
      label: e.name,
      point: [e.point[0], e.point[1]],
      score,
      source: 'gazetteer',
    }));
  }

  private analyseQuery(text: string): Query {
    const analysed = analyseAddress(text);
    const tokens = (grams: string[], text: string): QueryTokens => {
      const ids = new Set<number>();
      for (const gram of grams) {
        const id = this.tokenIds.get(gram);
        if (id !== undefined) ids.add(id);
      }
      return { ids, size: grams.length, chars: new Set(text) };
    };
    return {
      core: tokens(coreTokens(analysed), analysed.core),
      street: tokens(bigrams(analysed.street), analysed.street),
      houseNumber: analysed.houseNumber,
      prefixes: analysed.prefixes,
    };
  }

  /**
   * Variants whose core token similarity can reach the admission bar, without a full scan.
   * Prefix filtering: a variant needs at least `minOverlap` of the query’s tokens, so it must
   * contain one of the `size - minOverlap + 1` rarest ones; the most common tokens (大街, 胡同…)
   * are never walked, only checked against the candidates that survive the count bound.
   */
  private candidates(q: Query): Variant[] {
    const size = q.core.size;
    const bar = this.threshold - ADMISSION_SLACK;
    let minOverlap = 1;
    // Upper bound for an overlap: the entry is no larger than the overlap itself.
    while (minOverlap <= size && overlapScore(minOverlap, size, minOverlap) < bar) minOverlap++;
    if (minOverlap > size) return [];

    const lists = [...q.core.ids].map((id) => this.postings[id] ?? EMPTY_POSTINGS);
    // Tokens unknown to the index have empty lists and are the "rarest" of all.
    const unknown = size - lists.length;
    lists.sort((a, b) => a.length - b.length);
    const walk = Math.min(lists.length, Math.max(0, size - minOverlap + 1 - unknown));
    const unwalked = lists.length - walk;

    const touched: number[] = [];
    const counts = this.counts;
    for (let i = 0; i < walk; i++) {
      const list = lists[i] as Uint32Array;
      for (let j = 0; j < list.length; j++) {
        const variantId = list[j] as number;
        if (counts[variantId] === 0) touched.push(variantId);
        counts[variantId] = (counts[variantId] as number) + 1;
      }
    }

    const survivors: Variant[] = [];
    for (const variantId of touched) {
      const seen = counts[variantId] as number;
      counts[variantId] = 0;
      const variant = this.variants[variantId] as Variant;
      const entrySize = variant.core.size;
      if (overlapScore(Math.min(entrySize, seen + unwalked), size, entrySize) < bar) continue;
      const overlap = unwalked > 0 ? countShared(variant.core.ids, q.core.ids) : seen;
      if (overlapScore(overlap, size, entrySize) >= bar) survivors.push(variant);
    }
    return survivors;
  }

  /**
   * Final score: text similarity, then adjustments. When both sides have a house number the
   * street is compared instead of the whole text, since digits shared by chance (12号 on another
   * street) say nothing; the house number then adds a bonus (same street) or a penalty. A
   * conflicting admin unit (西城区 asked, 东城区 known) costs a penalty per level.
   */
  private score(q: Query, v: Variant): number {
    const byHouse = q.houseNumber !== undefined && v.houseNumber !== undefined && q.street.size > 0;
    const qText = byHouse ? q.street : q.core;
    const vText = byHouse ? v.street : v.core;
    const house = !byHouse ? 0 : q.houseNumber === v.houseNumber ? 1 : -1;
    const adjust = (text: number): number =>
      house > 0 && text >= SAME_STREET
        ? text + HOUSE_MATCH_BONUS
        : house < 0
          ? text - OTHER_HOUSE_PENALTY
          : text;

    // Most candidates fall short even with perfect character overlap and no admin conflict, so
    // characters and admin units are only looked at for the few that do not.
    const bigram = BIGRAM_WEIGHT * overlapScore(countShared(vText.ids, qText.ids), qText.size, vText.size);
    if (adjust(bigram + CHAR_WEIGHT) < this.threshold) return 0;

    let conflicts = 0;
    for (const level of ADMIN_LEVELS) {
      const asked = q.prefixes[level];
      const known = v.prefixes[level];
      if (asked !== undefined && known !== undefined && asked !== known) conflicts++;
    }
    const score = adjust(bigram + CHAR_WEIGHT * charScore(qText, vText)) - conflicts * ADMIN_CONFLICT_PENALTY;
    return Number(Math.min(1, Math.max(0, score)).toFixed(SCORE_DECIMALS));
  }
}

/** The local adapter: one gazetteer per tenant, loaded from the tenant's own address data. */
export class GazetteerGeocoder implements Geocoder {
  private readonly gazetteers = new Map<string, Gazetteer>();

  /** Replaces whatever the tenant had loaded before. */
  load(tenantId: string, gazetteer: Gazetteer): void {
    this.gazetteers.set(tenantId, gazetteer);
  }

  /** A tenant without a gazetteer has no known places, so nothing matches. */
  async geocode(tenantId: string, query: string, options: GeocodeOptions = {}): Promise<GeocodeResult[]> {
    return this.gazetteers.get(tenantId)?.search(query, options) ?? [];
  }
}
