import type { Feature, FeatureCollection, Polygon } from 'geojson';

export type UnitLevel = 'district' | 'street' | 'community' | 'grid';
export type GridKind = 'basic' | 'exclusive';

export interface UnitProperties {
  code: string;
  name: string;
  level: UnitLevel;
  /** Grids only. */
  kind?: GridKind;
  /** Absent on districts. */
  parentCode?: string;
}

export type SyntheticCity = FeatureCollection<Polygon, UnitProperties>;

export interface SyntheticCityOptions {
  seed: number;
  districts: number;
  streetsPerDistrict: number;
  communitiesPerStreet: number;
  gridsPerCommunity: number;
  /** South-west corner of the city's bounding square, [lon, lat]. */
  origin: [number, number];
  /** Side of the bounding square in degrees (the same number of degrees of lon and of lat). */
  sizeDeg: number;
  /** Lattice cells per basic grid (default 6); exclusive grids get half as many. */
  cellsPerGrid?: number;
  /** Share of exclusive grids (default 0.2). */
  exclusiveShare?: number;
  /** District codes; default the real Beijing county-level codes in order (110101 东城区, 110102 西城区…). */
  districtCodes?: readonly string[];
  districtNames?: readonly string[];
  /** Street office names used in order in each district; generated names fill the rest. */
  streetNames?: readonly string[];
}

const BEIJING_DISTRICTS: readonly [string, string][] = [
  ['110101', '东城区'],
  ['110102', '西城区'],
  ['110105', '朝阳区'],
  ['110106', '丰台区'],
  ['110107', '石景山区'],
  ['110108', '海淀区'],
  ['110109', '门头沟区'],
  ['110111', '房山区'],
  ['110112', '通州区'],
  ['110113', '顺义区'],
  ['110114', '昌平区'],
  ['110115', '大兴区'],
  ['110116', '怀柔区'],
  ['110117', '平谷区'],
  ['110118', '密云区'],
  ['110119', '延庆区'],
];

/** Name pools as space-separated words, to keep these lists short. */
function words(text: string): string[] {
  return text.split(' ');
}

const STREET_HEADS = words(
  '北新桥 东四 朝阳门 建国门 东直门 和平里 前门 崇文门外 东花市 龙潭 体育馆路 天坛 ' +
    '永定门外 新街口 月坛 展览路 德胜 金融街 什刹海 大栅栏 天桥 椿树 陶然亭 牛街 ' +
    '白纸坊 建外 朝外 呼家楼 三里屯 左家庄 香河园 和平街 安贞 亚运村 小关 酒仙桥 ' +
    '麦子店 团结湖 六里屯 八里庄 双井 劲松 潘家园 垡头 望京 奥运村 学院路 清河 ' +
    '西三旗 上地 马连洼 万寿路 羊坊店 甘家口 紫竹院 北下关 海淀 中关村',
);
const PLACE_PREFIXES = words('东 西 南 北 新 和平 永安 长安 青塔 龙泉 金顶 光明 花园');
const PLACE_SUFFIXES = words('门 桥 里 路 湖 园 坊 营 庄 街 河 山 寺');
const COMMUNITY_HEADS = words(
  '钱粮 南锣 菊儿 福祥 交东 交西 府学 鼓楼 新太仓 圆恩寺 黑芝麻 国子监 方家 ' +
    '五道营 国旺 北官厅 民旺 地坛 青年湖 安德 化工 糖房 分司厅 前永康 小黄庄 光明 ' +
    '幸福 春秀 胜古 柳芳 樱花 静安 育慧 裕民 惠新 安苑 华严 北辰 新源 工体 团结 ' +
    '中纺 东大桥 金台 关东店 针织路 秀水 景泰 永外 东厂 智德 韶九',
);
const COMMUNITY_TAILS = ['', '北里', '南里', '东里', '西里', '胡同', '苑', '园', '西巷', '东街'];
const INSTITUTIONS = words(
  '第一中学 实验小学 人民医院 中医医院 妇幼保健院 政务服务中心 科技园 体育中心 ' +
    '职业学院 商务中心 文化馆 图书馆 物流园 火车站 长途汽车站 产业园 第二中学 购物中心 ' +
    '国际酒店',
);

interface UnitPlan {
  code: string;
  name: string;
  level: UnitLevel;
  kind?: GridKind;
  parentCode?: string;
  weight: number;
  children: UnitPlan[];
}

/**
 * A made-up city whose units tile exactly at every level, for tests, benches and demos.
 *
 * Every boundary is a chain of edges of one jittered lattice, and every unit is a union of lattice
 * cells, so neighbours share identical vertices (rounded once, to 6 decimals, before any polygon is
 * built) and children cover their parent with no gap and no overlap. Units are carved by recursive
 * wavy cuts, and each cut is retried until both sides are connected, hole-free and never pinched at a
 * vertex, so every unit is one simple polygon.
 */
export function syntheticCity(options: SyntheticCityOptions): SyntheticCity {
  const rng = mulberry32(options.seed);
  const plan = planUnits(options, rng);
  const totalWeight = plan.reduce((s, d) => s + d.weight, 0);
  const cellsWanted = Math.ceil(totalWeight * (options.cellsPerGrid ?? 6));
  const lattice = new Lattice(Math.max(4, Math.ceil(Math.sqrt(cellsWanted / 0.72))), rng, options);

  const cellsOf = new Map<UnitPlan, number[]>();
  const carve = (units: UnitPlan[], cells: number[]) => {
    const parts = lattice.partition(
      cells,
      units.map((u) => u.weight),
    );
    units.forEach((u, i) => {
      cellsOf.set(u, parts[i] as number[]);
      carve(u.children, parts[i] as number[]);
    });
  };
  carve(plan, lattice.cityCells());
  const grids = plan.flatMap((d) => d.children.flatMap((s) => s.children.flatMap((c) => c.children)));
  lattice.cutStaircaseCorners(grids.map((g) => cellsOf.get(g) as number[]));

  const features: Feature<Polygon, UnitProperties>[] = [];
  const emit = (unit: UnitPlan) => {
    const properties: UnitProperties = { code: unit.code, name: unit.name, level: unit.level };
    if (unit.kind) properties.kind = unit.kind;
    if (unit.parentCode) properties.parentCode = unit.parentCode;
    features.push({ type: 'Feature', properties, geometry: lattice.polygon(cellsOf.get(unit) as number[]) });
    for (const child of unit.children) emit(child);
  };
  for (const district of plan) emit(district);
  return { type: 'FeatureCollection', features };
}

function planUnits(options: SyntheticCityOptions, rng: () => number): UnitPlan[] {
  const { districts, streetsPerDistrict, communitiesPerStreet, gridsPerCommunity } = options;
  for (const [name, n] of Object.entries({
    districts,
    streetsPerDistrict,
    communitiesPerStreet,
    gridsPerCommunity,
  })) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  if (streetsPerDistrict > 99 || communitiesPerStreet > 199 || gridsPerCommunity > 599) {
    // Street offices are numbered 001–099, communities 001–199; grid sequences above 600 mean merged grids.
    throw new RangeError('Too many units for the three-digit code ranges');
  }
  if (!options.districtCodes && districts > BEIJING_DISTRICTS.length) {
    throw new RangeError(`Give districtCodes for more than ${BEIJING_DISTRICTS.length} districts`);
  }
  const share = options.exclusiveShare ?? 0.2;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
  const seq = (n: number) => String(n).padStart(3, '0');

  return Array.from({ length: districts }, (_, d) => {
    const code = options.districtCodes?.[d] ?? BEIJING_DISTRICTS[d]?.[0];
    if (code === undefined || !/^\d{6}$/.test(code)) {
      throw new RangeError(`District ${d + 1} needs a 6-digit code, got ${code ?? 'none'}`);
    }
    const name =
      options.districtNames?.[d] ?? BEIJING_DISTRICTS.find(([c]) => c === code)?.[1] ?? `${code}区`;
    const streetNames = uniqueNames(
      streetsPerDistrict,
      options.streetNames ?? [],
      shuffle(STREET_HEADS, rng).map((h) => `${h}街道`),
      () => `${pick(PLACE_PREFIXES)}${pick(PLACE_SUFFIXES)}街道`,
      (i) => `第${i}街道`,
    );
    // Community names are unique within a district, as residents tell them apart by name.
    const heads = uniqueNames(
      streetsPerDistrict * communitiesPerStreet,
      [],
      [],
      () => `${pick(COMMUNITY_HEADS)}${pick(COMMUNITY_TAILS)}`,
      (i) => `第${i}`,
    );
    const streets = streetNames.map((streetName, s): UnitPlan => {
      const streetCode = `${code}${seq(s + 1)}`;
      const communities = heads
        .slice(s * communitiesPerStreet, (s + 1) * communitiesPerStreet)
        .map((head, c) => {
          const communityCode = `${streetCode}${seq(c + 1)}`;
          const institutions = shuffle(INSTITUTIONS, rng);
          const grids = Array.from({ length: gridsPerCommunity }, (_, g): UnitPlan => {
            const kind: GridKind = rng() < share ? 'exclusive' : 'basic';
            const institution = institutions[g % institutions.length] as string;
            return {
              code: `${communityCode}${seq(g + 1)}`,
              name: kind === 'basic' ? `第${g + 1}网格` : `${head}${institution}专属网格`,
              level: 'grid',
              kind,
              parentCode: communityCode,
              // A school or hospital compound is smaller than a residential grid.
              weight: kind === 'basic' ? 1 : 0.5,
              children: [],
            };
          });
          return unit(communityCode, `${head}社区`, 'community', streetCode, grids);
        });
      return unit(streetCode, streetName, 'street', code, communities);
    });
    return unit(code, name, 'district', undefined, streets);
  });
}

function unit(
  code: string,
  name: string,
  level: UnitLevel,
  parentCode: string | undefined,
  children: UnitPlan[],
): UnitPlan {
  const plan: UnitPlan = { code, name, level, weight: children.reduce((s, c) => s + c.weight, 0), children };
  if (parentCode) plan.parentCode = parentCode;
  return plan;
}

function uniqueNames(
  n: number,
  given: readonly string[],
  pool: string[],
  make: () => string,
  numbered: (i: number) => string,
): string[] {
  const names: string[] = [];
  const used = new Set<string>();
  const take = (name: string) => {
    if (names.length < n && !used.has(name)) {
      used.add(name);
      names.push(name);
    }
  };
  for (const name of given) take(name);
  for (const name of pool) take(name);
  for (let tries = 0; names.length < n && tries < 10_000; tries++) take(make());
  // Running out of plausible names only happens for absurd sizes: number the rest.
  for (let i = 1; names.length < n; i++) take(numbered(i));
  return names;
}

const ROUND = 1e6;

/**
 * An nx × nx lattice of jittered quadrilateral cells over the city's square. Cell (i, j) has index
 * j * nx + i; vertex (i, j) has index j * (nx + 1) + i.
 */
class Lattice {
  private readonly vx: Float64Array;
  private readonly vy: Float64Array;
  /** Scratch marks, compared with a stamp so they never need clearing. */
  private readonly mark: Int32Array;
  private stamp = 0;
  /** Sort keys of the cells being cut, reused across cuts. */
  private readonly key: Float64Array;
  /** Vertices dropped from every outline (see cutStaircaseCorners). */
  private readonly cut: Uint8Array;

  constructor(
    readonly n: number,
    private readonly rng: () => number,
    options: SyntheticCityOptions,
  ) {
    const side = n + 1;
    this.vx = new Float64Array(side * side);
    this.vy = new Float64Array(side * side);
    this.mark = new Int32Array(n * n);
    this.key = new Float64Array(n * n);
    this.cut = new Uint8Array(side * side);
    const [lon0, lat0] = options.origin;
    const step = options.sizeDeg / n;
    for (let j = 0; j <= n; j++) {
      for (let i = 0; i <= n; i++) {
        // Jitter below a quarter cell keeps every cell a simple quadrilateral with the same orientation.
        const x = i + (rng() - 0.5) * 0.48;
        const y = j + (rng() - 0.5) * 0.48;
        this.vx[j * side + i] = Math.round((lon0 + x * step) * ROUND) / ROUND;
        this.vy[j * side + i] = Math.round((lat0 + y * step) * ROUND) / ROUND;
      }
    }
  }

  /** Cells whose centre lies in a smooth blob, so the city's outline is not a square. */
  cityCells(): number[] {
    const { n, rng } = this;
    const p1 = rng() * Math.PI * 2;
    const p2 = rng() * Math.PI * 2;
    const p3 = rng() * Math.PI * 2;
    const cells: number[] = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const dx = (i + 0.5) / n - 0.5;
        const dy = (j + 0.5) / n - 0.5;
        const t = Math.atan2(dy, dx);
        const r =
          0.5 *
          (0.86 + 0.07 * Math.sin(2 * t + p1) + 0.04 * Math.sin(3 * t + p2) + 0.03 * Math.sin(5 * t + p3));
        if (Math.hypot(dx, dy) <= r) cells.push(j * n + i);
      }
    }
    // A blob too coarse to be a simple region (tiny lattices) falls back to the full square.
    return this.isSimpleRegion(cells) ? cells : Array.from({ length: n * n }, (_, c) => c);
  }

  /** Splits cells into parts sized by weight, in order along the cuts (west/south first). */
  partition(cells: number[], weights: readonly number[]): number[][] {
    const parts = this.tryPartition(cells, weights);
    if (!parts) {
      throw new Error(
        `Could not split ${cells.length} cells into ${weights.length} simple units: raise cellsPerGrid`,
      );
    }
    return parts;
  }

  /** Recursive bisection; a cut whose sides cannot be split further is replaced by the next candidate. */
  private tryPartition(cells: number[], weights: readonly number[]): number[][] | undefined {
    if (weights.length === 0) return [];
    if (weights.length === 1) return [cells];
    if (cells.length < weights.length) return undefined;
    const half = Math.floor(weights.length / 2);
    const left = weights.slice(0, half);
    const right = weights.slice(half);
    const total = weights.reduce((s, w) => s + w, 0);
    const share = left.reduce((s, w) => s + w, 0) / total;
    const target = Math.round(cells.length * share);
    let tried = 0;
    for (const [a, b] of this.cuts(cells, target, left.length, cells.length - right.length)) {
      const first = this.tryPartition(a, left);
      const second = first && this.tryPartition(b, right);
      if (first && second) return [...first, ...second];
      if (++tried >= 8) return undefined;
    }
    return undefined;
  }

  /** Candidate cuts into two simple regions, the first sized `target` (then near it) within [min, max]. */
  private *cuts(cells: number[], target: number, min: number, max: number): Generator<[number[], number[]]> {
    const { n, rng, key } = this;
    let minI = n;
    let maxI = 0;
    let minJ = n;
    let maxJ = 0;
    for (const c of cells) {
      const i = c % n;
      const j = (c - i) / n;
      if (i < minI) minI = i;
      if (i > maxI) maxI = i;
      if (j < minJ) minJ = j;
      if (j > maxJ) maxJ = j;
    }
    const width = maxI - minI + 1;
    const height = maxJ - minJ + 1;
    // Cut across the longer side so that parts stay compact.
    const base = width >= height ? 0 : Math.PI / 2;
    const across = Math.min(width, height);
    const offsets = [0, 1, -1, 2, -2, 3, -3];
    for (let attempt = 0; attempt < 80; attempt++) {
      const size = Math.min(max, Math.max(min, target + (offsets[Math.floor(attempt / 20)] ?? 0)));
      const spread = attempt % 20 < 12 ? 0.8 : Math.PI;
      const angle = base + (rng() - 0.5) * spread;
      // A sine along the cut line makes it meander like a real street or canal; some tries go straight.
      const amplitude = attempt % 20 < 16 ? rng() * Math.min(2.5, across * 0.2) : 0;
      const wavelength = across * (0.6 + rng());
      const phase = rng() * Math.PI * 2;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (const c of cells) {
        const i = c % n;
        const j = (c - i) / n;
        key[c] =
          i * cos + j * sin + amplitude * Math.sin(((-i * sin + j * cos) / wavelength) * 2 * Math.PI + phase);
      }
      const sorted = [...cells].sort((p, q) => (key[p] as number) - (key[q] as number) || p - q);
      const a = sorted.slice(0, size).sort((p, q) => p - q);
      const b = sorted.slice(size).sort((p, q) => p - q);
      if (this.isSimpleRegion(a) && this.isSimpleRegion(b)) yield [a, b];
    }
  }

  /** Connected through edges, without holes, and never touching itself at a single vertex. */
  private isSimpleRegion(cells: number[]): boolean {
    const { n, mark } = this;
    const first = cells[0];
    if (first === undefined) return false;
    const s = ++this.stamp;
    for (const c of cells) mark[c] = s;
    const inside = (i: number, j: number) => i >= 0 && j >= 0 && i < n && j < n && mark[j * n + i] === s;

    // Pinch: two diagonal cells in, the other two out.
    for (const c of cells) {
      const i = c % n;
      const j = (c - i) / n;
      for (const [di, dj] of [
        [-1, -1],
        [1, -1],
        [-1, 1],
        [1, 1],
      ] as const) {
        if (inside(i + di, j + dj) && !inside(i + di, j) && !inside(i, j + dj)) return false;
      }
    }

    // Connectivity, by a flood fill that re-stamps visited cells.
    const visited = ++this.stamp;
    const stack = [first];
    mark[first] = visited;
    let reached = 0;
    while (stack.length > 0) {
      const c = stack.pop() as number;
      reached++;
      const i = c % n;
      const j = (c - i) / n;
      for (const [ni, nj] of [
        [i - 1, j],
        [i + 1, j],
        [i, j - 1],
        [i, j + 1],
      ] as const) {
        if (ni >= 0 && nj >= 0 && ni < n && nj < n && mark[nj * n + ni] === s) {
          mark[nj * n + ni] = visited;
          stack.push(nj * n + ni);
        }
      }
    }
    if (reached !== cells.length) return false;

    // Holes: flood the outside from the border of the bounding box grown by one cell.
    let minI = n;
    let maxI = 0;
    let minJ = n;
    let maxJ = 0;
    for (const c of cells) {
      const i = c % n;
      const j = (c - i) / n;
      minI = Math.min(minI, i);
      maxI = Math.max(maxI, i);
      minJ = Math.min(minJ, j);
      maxJ = Math.max(maxJ, j);
    }
    const w = maxI - minI + 3;
    const h = maxJ - minJ + 3;
    const seen = new Uint8Array(w * h);
    const local = (i: number, j: number) => (j - minJ + 1) * w + (i - minI + 1);
    for (const c of cells) seen[local(c % n, Math.floor(c / n))] = 1;
    const queue = [0];
    seen[0] = 1;
    let outside = 0;
    while (queue.length > 0) {
      const q = queue.pop() as number;
      outside++;
      const x = q % w;
      const y = (q - x) / w;
      for (const [ok, r] of [
        [x > 0, q - 1],
        [x < w - 1, q + 1],
        [y > 0, q - w],
        [y < h - 1, q + w],
      ] as const) {
        if (ok && !seen[r]) {
          seen[r] = 1;
          queue.push(r);
        }
      }
    }
    return outside + cells.length === w * h;
  }

  /** The outline of a simple region, counter-clockwise (RFC 7946), following lattice edges. */
  polygon(cells: number[]): Polygon {
    const { n, mark } = this;
    const side = n + 1;
    const s = ++this.stamp;
    for (const c of cells) mark[c] = s;
    const inside = (i: number, j: number) => i >= 0 && j >= 0 && i < n && j < n && mark[j * n + i] === s;
    const next = new Map<number, number>();
    const vertex = (i: number, j: number) => j * side + i;
    for (const c of cells) {
      const i = c % n;
      const j = (c - i) / n;
      if (!inside(i, j - 1)) next.set(vertex(i, j), vertex(i + 1, j));
      if (!inside(i + 1, j)) next.set(vertex(i + 1, j), vertex(i + 1, j + 1));
      if (!inside(i, j + 1)) next.set(vertex(i + 1, j + 1), vertex(i, j + 1));
      if (!inside(i - 1, j)) next.set(vertex(i, j + 1), vertex(i, j));
    }
    const start = Math.min(...next.keys());
    const chain: number[] = [];
    let v = start;
    do {
      chain.push(v);
      v = next.get(v) as number;
    } while (v !== start && chain.length <= next.size);
    if (chain.length !== next.size) throw new Error('Lattice region is not simple');
    const ring = chain
      .filter((k) => !this.cut[k])
      .map((k): [number, number] => [this.vx[k] as number, this.vy[k] as number]);
    ring.push([...(ring[0] as [number, number])]);
    return { type: 'Polygon', coordinates: [ring] };
  }

  /**
   * Digital cuts leave staircases. Where a vertex is the corner of a single cell of one grid against three
   * cells of one other grid (or of the outside), drop it: both neighbours then use the cell's diagonal, and
   * a unit-step staircase becomes a straight slanted line. The decision is made once per vertex from the
   * grid labels, so every level's outline drops the same vertices and the tiling stays exact. At most one
   * corner per cell and never two adjacent vertices, so the new diagonals cannot cross; jitter below a
   * quarter cell keeps each diagonal inside its cell.
   */
  cutStaircaseCorners(gridCells: readonly number[][]): void {
    const { n, cut } = this;
    const side = n + 1;
    const label = new Int32Array(n * n).fill(-1);
    gridCells.forEach((cells, g) => {
      for (const c of cells) label[c] = g;
    });
    const at = (i: number, j: number) =>
      i >= 0 && j >= 0 && i < n && j < n ? (label[j * n + i] as number) : -1;
    const usedCell = new Uint8Array(n * n);
    for (let j = 0; j <= n; j++) {
      for (let i = 0; i <= n; i++) {
        const around = [
          [i - 1, j - 1],
          [i, j - 1],
          [i - 1, j],
          [i, j],
        ] as const;
        const labels = around.map(([ci, cj]) => at(ci, cj));
        const lone = labels.findIndex((l) => labels.filter((m) => m === l).length === 1);
        const others = labels.filter((_, k) => k !== lone);
        if (lone === -1 || others.some((l) => l !== others[0])) continue;
        const [ci, cj] = around[lone] as readonly [number, number];
        // The lone cell must be a real cell (the outside can give way, but has no cell to cut).
        if (labels[lone] === -1 || usedCell[cj * n + ci]) continue;
        const v = j * side + i;
        if ((i > 0 && cut[v - 1]) || (j > 0 && cut[v - side])) continue;
        cut[v] = 1;
        usedCell[cj * n + ci] = 1;
      }
    }
  }
}

/** mulberry32: tiny, fast and good enough to make fixtures reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: readonly T[], rng: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const k = Math.floor(rng() * (i + 1));
    [out[i], out[k]] = [out[k] as T, out[i] as T];
  }
  return out;
}
