import { type FormEvent, useId, useState } from 'react';
import { LazyMap as MapView } from '../components/LazyMap';
import { PhotoInput } from '../components/PhotoInput';
import { ErrorText } from '../components/Status';
import { canReadOrg, categoriesOf, categoryName, unitsOf } from '../data';
import { useApp, useLoad } from '../hooks';
import { useT } from '../i18n';
import { navigate } from '../router';
import { reportChannelFor } from '../session';

interface Place {
  point: [number, number];
  address?: string;
  gridName?: string;
}

export function ReportPage() {
  const { api, session } = useApp();
  const i18n = useT();
  const id = useId();
  const channel = reportChannelFor(session.user.role);
  const [description, setDescription] = useState('');
  const [categoryCode, setCategoryCode] = useState('');
  const [place, setPlace] = useState<Place>();
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<{ label: string; point: [number, number] }[]>();
  const [photos, setPhotos] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ caseId: string; trackingCode: string }>();
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [categories] = useLoad(() => categoriesOf(api, session), 'categories');
  const [units] = useLoad(() => unitsOf(api, session).catch(() => undefined), 'units');

  /** Names the grid of a picked point, where the role may read the territory. */
  const choose = async (point: [number, number], address?: string) => {
    setPlace({ point, ...(address ? { address } : {}) });
    setError(undefined);
    if (!canReadOrg(session)) return;
    try {
      const found = await api.get<Record<string, { code: string; name: string }>>(
        `/v1/org/locate?lon=${point[0]}&lat=${point[1]}`,
      );
      const grid = found.grid;
      setPlace({
        point,
        ...(address ? { address } : {}),
        ...(grid ? { gridName: `${grid.name} ${grid.code}` } : {}),
      });
    } catch (cause) {
      setError(cause);
    }
  };

  const locateMe = () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (position) =>
        void choose([
          Number(position.coords.longitude.toFixed(6)),
          Number(position.coords.latitude.toFixed(6)),
        ]),
      (cause) => setError(new Error(cause.message)),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const search = async () => {
    if (!query.trim()) return;
    try {
      const answer = await api.get<{ items: { label: string; point: [number, number] }[] }>(
        `/v1/geocode?q=${encodeURIComponent(query.trim())}`,
      );
      setMatches(answer.items);
    } catch (cause) {
      setError(cause);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!place) {
      setError(new Error(i18n.t('locationMissing')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<{ caseId: string; trackingCode: string }>(
        '/v1/cases',
        {
          channel,
          description: description.trim(),
          ...(categoryCode ? { categoryCode } : {}),
          location: { point: place.point, ...(place.address ? { address: place.address } : {}) },
          attachmentIds: photos,
        },
        { 'idempotency-key': idempotencyKey },
      );
      setDone(answer);
      setIdempotencyKey(crypto.randomUUID());
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  if (!channel) return <p className="error">{i18n.t('forbidden')}</p>;
  if (done) {
    return (
      <section className="card" role="status" data-testid="report-done">
        <h1>{i18n.t('reportDone')}</h1>
        <p>
          {i18n.t('trackingCode')}: <strong>{done.trackingCode}</strong>
        </p>
        <div className="row">
          <button type="button" className="primary" onClick={() => navigate(`/cases/${done.caseId}`)}>
            {i18n.t('caseDetail')}
          </button>
          <button
            type="button"
            onClick={() => {
              setDone(undefined);
              setDescription('');
              setPlace(undefined);
              setPhotos([]);
            }}
          >
            {i18n.t('reportTitle')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form className="report" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{i18n.t('reportTitle')}</h1>
      <div className="field">
        <label htmlFor={`${id}-desc`}>
          {i18n.t('description')} ({i18n.t('required')})
        </label>
        <textarea
          id={`${id}-desc`}
          name="description"
          rows={3}
          required
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      {categories.state === 'ready' && categories.value.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-cat`}>{i18n.t('chooseCategory')}</label>
          <select
            id={`${id}-cat`}
            name="category"
            value={categoryCode}
            onChange={(e) => setCategoryCode(e.target.value)}
          >
            <option value="">{i18n.t('none')}</option>
            {categories.value.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {categoryName(categories.value, c.code, i18n.lang)}
              </option>
            ))}
          </select>
        </div>
      )}
      <fieldset>
        <legend>{i18n.t('location')}</legend>
        <div className="row wrap">
          <button type="button" onClick={locateMe}>
            {i18n.t('useMyLocation')}
          </button>
        </div>
        {canReadOrg(session) && (
          <div className="row">
            <label htmlFor={`${id}-q`} className="sr-only">
              {i18n.t('searchAddress')}
            </label>
            <input
              id={`${id}-q`}
              type="search"
              placeholder={i18n.t('searchAddress')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
            />
            <button type="button" onClick={() => void search()}>
              {i18n.t('search')}
            </button>
          </div>
        )}
        {matches &&
          (matches.length === 0 ? (
            <p className="muted">{i18n.t('noMatches')}</p>
          ) : (
            <ul className="matches">
              {matches.map((m) => (
                <li key={`${m.label}-${m.point.join(',')}`}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      setMatches(undefined);
                      void choose(m.point, m.label);
                    }}
                  >
                    {m.label}
                  </button>
                </li>
              ))}
            </ul>
          ))}
        <p className="muted small">{i18n.t('pickOnMap')}</p>
        <MapView
          units={units.state === 'ready' ? units.value : undefined}
          marker={place?.point}
          onPick={(point) => void choose(point)}
          label={i18n.t('pickOnMap')}
          className="map-small"
        />
        <p data-testid="picked" aria-live="polite">
          {place
            ? `${i18n.t('point')} ${place.point[0]}, ${place.point[1]}${place.address ? ` · ${place.address}` : ''}${place.gridName ? ` · ${i18n.t('grid')} ${place.gridName}` : ''}`
            : i18n.t('locationMissing')}
        </p>
      </fieldset>
      <PhotoInput api={api} name="photos" label={i18n.t('photo')} onChange={setPhotos} />
      <ErrorText error={error} />
      <button type="submit" className="primary block" disabled={busy}>
        {i18n.t('submit')}
      </button>
    </form>
  );
}
