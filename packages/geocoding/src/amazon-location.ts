import {
  type LocationClient,
  SearchPlaceIndexForTextCommand,
  type SearchPlaceIndexForTextCommandOutput,
} from '@aws-sdk/client-location';
import { AppError } from '@civicgrid/domain';
import { clampLimit, type GeocodeOptions, type GeocodeResult, type Geocoder } from './geocoder';

export interface AmazonLocationOptions {
  /** ISO 3166 alpha-3 codes; defaults to ['CHN']. */
  countries?: string[];
  /** BCP 47 tag for the returned labels; defaults to 'zh-CN'. */
  language?: string;
}

const DEFAULT_LIMIT = 10;
// SearchPlaceIndexForText accepts MaxResults 1..50.
const MAX_LIMIT = 50;

/** Production adapter over an Amazon Location place index (SearchPlaceIndexForText). */
export class AmazonLocationGeocoder implements Geocoder {
  private readonly countries: string[];
  private readonly language: string;

  constructor(
    private readonly client: LocationClient,
    private readonly placeIndexName: string,
    options: AmazonLocationOptions = {},
  ) {
    this.countries = options.countries ?? ['CHN'];
    this.language = options.language ?? 'zh-CN';
  }

  /**
   * tenantId is deliberately not sent: the place index is shared by all tenants and knows
   * nothing about them; keeping results inside a tenant's territory is the caller's job (it
   * clips them to the tenant's boundary).
   */
  async geocode(_tenantId: string, query: string, options: GeocodeOptions = {}): Promise<GeocodeResult[]> {
    const text = query.trim();
    // An empty Text is a ValidationException at AWS; nothing to look up is simply no match.
    if (text === '') return [];
    const limit = clampLimit(options.limit, DEFAULT_LIMIT, MAX_LIMIT);

    let output: SearchPlaceIndexForTextCommandOutput;
    try {
      output = await this.client.send(
        new SearchPlaceIndexForTextCommand({
          IndexName: this.placeIndexName,
          Text: text,
          MaxResults: limit,
          FilterCountries: this.countries,
          Language: this.language,
          ...(options.near ? { BiasPosition: [options.near[0], options.near[1]] } : {}),
        }),
      );
    } catch (error) {
      throw toAppError(error);
    }

    const results: GeocodeResult[] = [];
    for (const result of output.Results ?? []) {
      const [lon, lat] = result.Place?.Geometry?.Point ?? [];
      if (lon === undefined || lat === undefined) continue;
      results.push({
        label: result.Place?.Label ?? text,
        point: [lon, lat],
        score: Math.min(1, Math.max(0, result.Relevance ?? 0)),
        source: 'amazon-location',
      });
    }
    return results;
  }
}

/**
 * A ValidationException means the request itself was bad (e.g. text over 200 characters), which
 * the caller can act on; throttling and outages propagate as they are so retries can see them.
 */
const toAppError = (error: unknown): unknown => {
  if (!(error instanceof Error) || error.name !== 'ValidationException') return error;
  const { Reason, FieldList } = error as Error & { Reason?: string; FieldList?: { Name?: string }[] };
  return new AppError('validation_failed', `Place search rejected the request: ${error.message}`, {
    ...(Reason ? { reason: Reason } : {}),
    ...(FieldList ? { fields: FieldList.map((field) => field.Name) } : {}),
  });
};
