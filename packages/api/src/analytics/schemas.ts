import { z } from '@hono/zod-openapi';

const Rate = z.number().nullable().describe('percent, one decimal; null when the base is zero');
const Name = z.object({ zh: z.string(), en: z.string() });

export const HotlineRatesSchema = z
  .object({
    received: z
      .number()
      .int()
      .describe('hotline cases received (a place) or dispatched (a department) in the period'),
    responded: z.number().int(),
    resolved: z.number().int(),
    rated: z.number().int(),
    satisfied: z.number().int(),
    responseRate: Rate,
    resolutionRate: Rate,
    satisfactionRate: Rate,
  })
  .openapi('HotlineRates');

const ScoreComponents = z.object({
  onTime: Rate,
  closure: Rate,
  rework: Rate,
  returns: Rate,
  citizenSatisfaction: Rate,
  whistleReporting: Rate,
  streetEvaluation: Rate,
});

export const ScorecardSchema = z
  .object({
    departmentId: z.string(),
    name: z.string().optional().describe('the department’s name, from the catalog'),
    period: z.string(),
    cases: z.object({
      received: z.number().int(),
      accepted: z.number().int(),
      acceptedOnTime: z.number().int(),
      returned: z.number().int(),
      wronglyReturned: z.number().int(),
      handled: z.number().int(),
      handledOnTime: z.number().int(),
      overdue: z.number().int(),
      reworked: z.number().int(),
      closed: z.number().int(),
    }),
    whistles: z.object({
      summoned: z.number().int(),
      reported: z.number().int(),
      reportedOnTime: z.number().int(),
      offSite: z.number().int(),
      missing: z.number().int(),
    }),
    ratings: z.object({
      citizen: z.object({ count: z.number().int(), average: z.number().nullable(), satisfiedRate: Rate }),
      street: z.object({ count: z.number().int(), average: z.number().nullable() }),
    }),
    components: ScoreComponents,
    score: z.number().nullable(),
    hotline: HotlineRatesSchema,
  })
  .openapi('DepartmentScorecard');

export const PlaceFiguresSchema = z
  .object({
    code: z.string(),
    name: z.string().optional(),
    reported: z.number().int(),
    registered: z.number().int(),
    closed: z.number().int(),
    density: z.number().nullable(),
    selfClosureRate: Rate,
    escalated: z.number().int(),
    escalationRate: Rate,
    satisfactionRate: Rate,
    gridWork: z.object({
      patrolReports: z.number().int(),
      verifications: z.number().int(),
      verificationsOnTimeRate: Rate,
      checks: z.number().int(),
      checksOnTimeRate: Rate,
    }),
    whistlesBlown: z.number().int(),
    hotline: HotlineRatesSchema,
  })
  .openapi('PlaceFigures');

export const DashboardSchema = z
  .object({
    period: z.string(),
    place: PlaceFiguresSchema,
    by: z.string(),
    children: z.array(PlaceFiguresSchema),
  })
  .openapi('PlaceDashboard');

export const HotlineReportSchema = z
  .object({
    period: z.string(),
    total: HotlineRatesSchema.optional(),
    by: z.string(),
    rows: z.array(HotlineRatesSchema.extend({ code: z.string() })),
  })
  .openapi('HotlineReport');

const GridCount = z.object({
  code: z.string(),
  name: z.string().optional().describe('the grid’s name in the hierarchy'),
  count: z.number().int(),
});

const Trend = z.object({
  categoryCode: z.string(),
  name: Name.optional(),
  count: z.number().int(),
  previous: z.number().int(),
  growth: z.number().int(),
  growthRate: Rate,
});

export const HotSpotsSchema = z
  .object({
    month: z.string(),
    place: z.string(),
    topCategories: z.array(
      z.object({ categoryCode: z.string(), name: Name.optional(), count: z.number().int() }),
    ),
    risingCategories: z.array(Trend),
    topGrids: z.array(GridCount),
  })
  .openapi('HotSpots');

export const MonthlyProblemSchema = z
  .object({
    month: z.string(),
    place: z.string(),
    proposal: Trend.extend({
      grids: z.array(GridCount),
    }).nullable(),
  })
  .openapi('MonthlyProblem');

export const WeightsViewSchema = z
  .object({ version: z.number().int(), weights: z.record(z.string(), z.number()), isDefault: z.boolean() })
  .openapi('ScoreWeights');

// ---------------------------------------------------------------------------------------------
// Definitions, written once and shown in the reference.

export const PERIOD_NOTE = `Periods are a month (\`YYYY-MM\`) or a day (\`YYYY-MM-DD\`) on the city's wall clock (the time zone of
its working calendar); the current month when absent. Counters are kept from case and whistle events as they
happen (never by scanning cases), so a read costs the same however many cases the period holds. An event counts
in the period it happened, except hotline (接诉即办) figures, which count in the period the call came in.
Add \`format=csv\` for a CSV file (UTF-8 with BOM, so Excel shows Chinese).`;

export const SCORECARD_DEFINITIONS = `Department scorecard (部门考核). For the period:
- **received**: dispatches of cases to the department; **accepted** / **acceptedOnTime**: acceptances, and those within the accept limit.
- **returned**: cases it returned (退回); **wronglyReturned**: dispatches of a case to a department that had already returned it (the center overruled the return).
- **handled** / **handledOnTime** / **overdue**: results handed in, within and after the handling limit (extensions granted move the limit).
- **reworked**: failed on-site checks of its results (返工); **closed**: cases closed (check passed) that it worked on.
- **whistles**: times **summoned**; **reported** (报到), **reportedOnTime** (before the report-by time), **offSite** (checked in beyond the off-site radius), **missing** (the report-by time passed without a report).
- **ratings.citizen**: evaluations of closed cases it worked on (1–5; satisfied = 4 or 5). **ratings.street**: the street's and communities' evaluations of it after whistles (response, attitude, result; average of the three).
- **components** (0–100): onTime = handledOnTime / handled; closure = closed / received (at most 100); rework = 100 − reworked / handled; returns = 100 − wronglyReturned / received; citizenSatisfaction = satisfied / citizen ratings; whistleReporting = reportedOnTime / summoned; streetEvaluation = street average / 5.
- **score**: the weighted mean of the components that have data, with the city's weights (\`/v1/analytics/weights\`; by default the street's evaluation weighs 10 %).
- **hotline**: the 接诉即办 rates of hotline cases dispatched to it (see the hotline report).`;

export const HOTLINE_DEFINITIONS = `Hotline rates (接诉即办 响应率、解决率、满意率), of the hotline cases received in the period:
- **responseRate** = responded / received. A place responds when its grid worker verifies the call on site within the verification limit; a department when it accepts the dispatch within the accept limit (the base being the calls dispatched to it).
- **resolutionRate** = resolved / received: cases closed after a passed on-site check.
- **satisfactionRate** = satisfied / rated: return-visit or reporter ratings of 4 or 5 out of 5.`;

export const PLACE_DEFINITIONS = `Place figures, for the place and its sub-places (street and grid comparison):
- **reported**, **registered** (立案), **closed** cases; **density** = registered per km² of the place's grids.
- **selfClosureRate** = closed in the street's small loop / all closed; **escalated** to the district's big loop, **escalationRate** = escalated / registered.
- **satisfactionRate** = ratings of 4–5 / ratings.
- **gridWork**: grid workers' **patrolReports**, on-site **verifications** (核实) and **checks** (核查), with the share done within their limits.
- **whistlesBlown** at the place; **hotline**: its 接诉即办 rates.`;

export const HOTSPOT_DEFINITIONS = `Hot spots of a month, counted on registered cases (立案) by their category:
- **topCategories** and **topGrids**: the most registered; **risingCategories**: categories with more cases than the month before, by growth.
- Available for the city, a district or a street (communities and grids are summed from their grids).`;

export const MONTHLY_PROBLEM_DEFINITION = `每月一题 proposal: among the five categories with the most registered cases in the month, the one that grew
most against the month before (ties: the higher count, then the code); with the grids that registered most of it.`;
