import type { Position } from 'geojson';
import { orient2d } from 'robust-predicates';
import type { GridGeometry } from './types';

/** Beyond these sizes proving is not worth it: clipping decides. */
const MAX_RESIDUAL_EDGES = 50_000;
const MAX_LOOP_EDGES = 512;
const MAX_PAIR_TESTS = 2_000_000;

interface Edge {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/**
 * Proves, without clipping, that children tile their parent up to `toleranceM2`, or returns false when
 * it cannot (clipping then decides).
 *
 * Let f(x) = (number of children containing x) − (1 if the parent contains x). The children tile the
 * parent exactly where f = 0; every outside part, overlap or gap is a region where f ≠ 0. With outer
 * rings counter-clockwise and holes clockwise, a valid polygon's winding number is its indicator, and
 * winding numbers add along with boundaries, so f is the winding number of the residual chain R = Σ
 * children's edges − parent's edges. Neighbours that share vertices cancel edge for edge, so R is
 * usually empty (f = 0: a perfect tiling) or small, e.g. the slivers between a parent edge and the
 * children's edges that carry extra vertices along it. Split R into loops; if each loop is a simple
 * polygon, ∫|f| ≤ Σ area(loop), and when that sum is within the tolerance no problem can reach it.
 *
 * Every geometry must be valid (see validateGeometry): rings simple, holes inside, parts disjoint.
 */
export function provablyTiles(
  parent: GridGeometry,
  children: readonly GridGeometry[],
  toleranceM2: number,
): boolean {
  const residual = new Map<string, Edge & { count: number }>();
  const add = (geometry: GridGeometry, sign: number) => {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of polygons) {
      rings.forEach((ring, r) => {
        const counterClockwise = signedArea(ring) > 0;
        const direction = (r === 0) === counterClockwise ? sign : -sign;
        for (let i = 1; i < ring.length; i++) {
          const [ax, ay] = ring[i - 1] as [number, number];
          const [bx, by] = ring[i] as [number, number];
          if (ax === bx && ay === by) continue;
          // One key per undirected segment; the count carries the direction.
          const forward = ax < bx || (ax === bx && ay < by);
          const key = forward ? `${ax},${ay},${bx},${by}` : `${bx},${by},${ax},${ay}`;
          const delta = forward ? direction : -direction;
          const entry = residual.get(key);
          if (!entry) {
            residual.set(
              key,
              forward ? { ax, ay, bx, by, count: delta } : { ax: bx, ay: by, bx: ax, by: ay, count: delta },
            );
          } else if (entry.count + delta === 0) {
            residual.delete(key);
          } else {
            entry.count += delta;
          }
        }
      });
    }
  };
  for (const child of children) add(child, 1);
  add(parent, -1);
  if (residual.size === 0) return true;
  if (residual.size > MAX_RESIDUAL_EDGES) return false;

  // Directed edges, a count of n standing for n copies.
  const outgoing = new Map<string, Edge[]>();
  for (const e of residual.values()) {
    const edge = e.count > 0 ? e : { ax: e.bx, ay: e.by, bx: e.ax, by: e.ay };
    const from = `${edge.ax},${edge.ay}`;
    const list = outgoing.get(from) ?? [];
    for (let k = Math.abs(e.count); k > 0; k--) list.push(edge);
    outgoing.set(from, list);
  }

  let budget = MAX_PAIR_TESTS;
  let bound = 0;
  for (const [start, list] of outgoing) {
    while (list.length > 0) {
      // Walk unused edges; a revisited vertex closes a loop without repeated vertices.
      const path: Edge[] = [];
      const seenAt = new Map<string, number>([[start, 0]]);
      let at = start;
      for (;;) {
        const next = takeSharpestTurn(outgoing.get(at), path[path.length - 1]);
        // Every vertex of a sum of closed rings has as many edges in as out.
        if (!next) return false;
        path.push(next);
        at = `${next.bx},${next.by}`;
        const loopStart = seenAt.get(at);
        if (loopStart === undefined) {
          seenAt.set(at, path.length);
          continue;
        }
        const loop = path.splice(loopStart);
        for (const e of loop) seenAt.delete(`${e.bx},${e.by}`);
        seenAt.set(at, path.length);
        if (loop.length > MAX_LOOP_EDGES) return false;
        budget -= (loop.length * loop.length) / 2;
        if (budget < 0) return false;
        // A loop with all its vertices on one line (a T-junction exactly on an edge) encloses nothing.
        if (isFlat(loop)) {
          if (path.length === 0) break;
          continue;
        }
        if (!isSimpleLoop(loop)) return false;
        bound += loopAreaM2(loop);
        if (bound > toleranceM2) return false;
        if (path.length === 0) break;
      }
    }
  }
  return true;
}

/**
 * Any split of R into simple loops gives a valid bound, but only a split into the small loops between
 * near-identical boundaries gives a tight one: turning back as sharply as possible at each vertex
 * follows a sliver instead of running on along the parent's outline.
 */
function takeSharpestTurn(candidates: Edge[] | undefined, incoming: Edge | undefined): Edge | undefined {
  if (!candidates || candidates.length === 0) return undefined;
  let best = candidates.length - 1;
  if (incoming && candidates.length > 1) {
    const ix = incoming.ax - incoming.bx;
    const iy = incoming.ay - incoming.by;
    const il = Math.hypot(ix, iy);
    let bestCos = Number.NEGATIVE_INFINITY;
    candidates.forEach((e, k) => {
      const ox = e.bx - e.ax;
      const oy = e.by - e.ay;
      const cos = (ox * ix + oy * iy) / (Math.hypot(ox, oy) * il);
      if (cos > bestCos) {
        bestCos = cos;
        best = k;
      }
    });
  }
  const edge = candidates[best] as Edge;
  candidates[best] = candidates[candidates.length - 1] as Edge;
  candidates.pop();
  return edge;
}

const METRES_PER_DEGREE = 111_319.49;

/**
 * Planar area around the loop's first vertex, slightly overestimated to stay an upper bound. Turf's
 * geodesic formula loses about 0.01 m² to cancellation, too much for slivers a few µm wide.
 */
function loopAreaM2(loop: readonly Edge[]): number {
  const x0 = (loop[0] as Edge).ax;
  const y0 = (loop[0] as Edge).ay;
  let twice = 0;
  for (const e of loop) twice += (e.ax - x0) * (e.by - y0) - (e.bx - x0) * (e.ay - y0);
  const cosLat = Math.cos((Math.max(Math.abs(y0) - 0.5, 0) * Math.PI) / 180);
  return (Math.abs(twice) / 2) * METRES_PER_DEGREE * METRES_PER_DEGREE * cosLat * 1.01;
}

function isFlat(loop: readonly Edge[]): boolean {
  const a = loop[0] as Edge;
  return loop.every((e) => orient2d(a.ax, a.ay, a.bx, a.by, e.bx, e.by) === 0);
}

/** Exact: consecutive edges meet only at their shared vertex, other edges not at all. */
function isSimpleLoop(loop: readonly Edge[]): boolean {
  const m = loop.length;
  for (let i = 0; i < m; i++) {
    const e = loop[i] as Edge;
    for (let k = i + 1; k < m; k++) {
      const g = loop[k] as Edge;
      const adjacent = k === i + 1 || (i === 0 && k === m - 1);
      if (adjacent) {
        // Sharing a vertex is expected; folding back along the same line is not.
        const [sx, sy, px, py, qx, qy] =
          k === i + 1 ? [e.bx, e.by, e.ax, e.ay, g.bx, g.by] : [e.ax, e.ay, e.bx, e.by, g.ax, g.ay];
        if (orient2d(px, py, sx, sy, qx, qy) === 0 && (px - sx) * (qx - sx) + (py - sy) * (qy - sy) > 0) {
          return false;
        }
      } else if (segmentsTouch(e, g)) {
        return false;
      }
    }
  }
  return true;
}

function segmentsTouch(e: Edge, g: Edge): boolean {
  const d1 = orient2d(e.ax, e.ay, e.bx, e.by, g.ax, g.ay);
  const d2 = orient2d(e.ax, e.ay, e.bx, e.by, g.bx, g.by);
  const d3 = orient2d(g.ax, g.ay, g.bx, g.by, e.ax, e.ay);
  const d4 = orient2d(g.ax, g.ay, g.bx, g.by, e.bx, e.by);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && within(e, g.ax, g.ay)) ||
    (d2 === 0 && within(e, g.bx, g.by)) ||
    (d3 === 0 && within(g, e.ax, e.ay)) ||
    (d4 === 0 && within(g, e.bx, e.by))
  );
}

/** For a point known to be on the segment's line: is it between the endpoints? */
function within(e: Edge, x: number, y: number): boolean {
  return (
    x >= Math.min(e.ax, e.bx) &&
    x <= Math.max(e.ax, e.bx) &&
    y >= Math.min(e.ay, e.by) &&
    y <= Math.max(e.ay, e.by)
  );
}

function signedArea(ring: readonly Position[]): number {
  const [x0, y0] = ring[0] as [number, number];
  let sum = 0;
  for (let i = 2; i < ring.length; i++) {
    const [ax, ay] = ring[i - 1] as [number, number];
    const [bx, by] = ring[i] as [number, number];
    sum += (ax - x0) * (by - y0) - (bx - x0) * (ay - y0);
  }
  return sum;
}
