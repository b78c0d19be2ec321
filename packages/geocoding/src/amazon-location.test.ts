import {
  LocationClient,
  SearchPlaceIndexForTextCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-location';
import { AppError } from '@civicgrid/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AmazonLocationGeocoder } from './amazon-location';

const INDEX = 'civicgrid-places';
const location = mockClient(LocationClient);

const sentInputs = () =>
  location.commandCalls(SearchPlaceIndexForTextCommand).map((call) => call.args[0].input);

describe('AmazonLocationGeocoder', () => {
  beforeEach(() => {
    location.reset();
  });

  it('sends text, limit, bias, countries and language, and maps the results', async () => {
    location.on(SearchPlaceIndexForTextCommand).resolves({
      Summary: { Text: '南池子大街12号', DataSource: 'Esri' },
      Results: [
        {
          Place: {
            Label: '南池子大街12号, 东城区, 北京市, CHN',
            Geometry: { Point: [116.4034, 39.9098] },
          },
          Relevance: 0.98,
        },
        { Place: { Label: '南池子大街, 东城区, 北京市, CHN', Geometry: { Point: [116.4035, 39.9105] } } },
      ],
    });

    const geocoder = new AmazonLocationGeocoder(new LocationClient({}), INDEX);
    const results = await geocoder.geocode('dongcheng', ' 南池子大街12号 ', {
      limit: 3,
      near: [116.4, 39.91],
    });

    expect(sentInputs()).toEqual([
      {
        IndexName: INDEX,
        Text: '南池子大街12号',
        MaxResults: 3,
        BiasPosition: [116.4, 39.91],
        FilterCountries: ['CHN'],
        Language: 'zh-CN',
      },
    ]);
    expect(results).toEqual([
      {
        label: '南池子大街12号, 东城区, 北京市, CHN',
        point: [116.4034, 39.9098],
        score: 0.98,
        source: 'amazon-location',
      },
      {
        label: '南池子大街, 东城区, 北京市, CHN',
        point: [116.4035, 39.9105],
        score: 0,
        source: 'amazon-location',
      },
    ]);
  });

  it('does not send the tenant, leaves out BiasPosition without near, and caps MaxResults at 50', async () => {
    location.on(SearchPlaceIndexForTextCommand).resolves({ Results: [] });
    const geocoder = new AmazonLocationGeocoder(new LocationClient({}), INDEX, {
      countries: ['CHN', 'HKG'],
      language: 'zh-HK',
    });

    expect(await geocoder.geocode('dongcheng', '故宫', { limit: 500 })).toEqual([]);
    const [input] = sentInputs();
    expect(input).toEqual({
      IndexName: INDEX,
      Text: '故宫',
      MaxResults: 50,
      FilterCountries: ['CHN', 'HKG'],
      Language: 'zh-HK',
    });
    expect(JSON.stringify(input)).not.toContain('dongcheng');
  });

  it('skips results without a point', async () => {
    location.on(SearchPlaceIndexForTextCommand).resolves({
      Results: [
        { Place: { Label: '无坐标', Geometry: {} }, Relevance: 0.9 },
        { Place: { Label: '景山公园', Geometry: { Point: [116.3966, 39.9251] } }, Relevance: 0.8 },
      ],
    });
    const results = await new AmazonLocationGeocoder(new LocationClient({}), INDEX).geocode('t', '景山公园');
    expect(results.map((r) => r.label)).toEqual(['景山公园']);
  });

  it('does not call AWS for an empty query', async () => {
    const geocoder = new AmazonLocationGeocoder(new LocationClient({}), INDEX);
    expect(await geocoder.geocode('t', '   ')).toEqual([]);
    expect(sentInputs()).toEqual([]);
  });

  it('turns a ValidationException into validation_failed', async () => {
    location.on(SearchPlaceIndexForTextCommand).rejects(
      new ValidationException({
        $metadata: {},
        message: 'Text must be at most 200 characters',
        Message: 'Text must be at most 200 characters',
        Reason: 'FieldValidationFailed',
        FieldList: [{ Name: 'Text', Message: 'too long' }],
      }),
    );
    const geocoder = new AmazonLocationGeocoder(new LocationClient({}), INDEX);
    const error = await geocoder.geocode('t', '南'.repeat(201)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      details: { reason: 'FieldValidationFailed', fields: ['Text'] },
    });
  });

  it('lets throttling and other errors propagate unchanged', async () => {
    const throttled = new ThrottlingException({
      $metadata: {},
      message: 'Rate exceeded',
      Message: 'Rate exceeded',
    });
    location.on(SearchPlaceIndexForTextCommand).rejects(throttled);
    const geocoder = new AmazonLocationGeocoder(new LocationClient({}), INDEX);
    await expect(geocoder.geocode('t', '故宫')).rejects.toBe(throttled);
  });
});
