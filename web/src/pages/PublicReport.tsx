import { type FormEvent, type ReactNode, useId, useMemo, useRef, useState } from 'react';
import { type ApiClient, createApi } from '../api';
import { LazyMap as MapView } from '../components/LazyMap';
import { PhotoInput } from '../components/PhotoInput';
import { ErrorText } from '../components/Status';
import { useLoad } from '../hooks';
import { type Translator, useT } from '../i18n';
import {
  aroundPoint,
  type DraftProblem,
  draftProblems,
  emptyDraft,
  explainError,
  followPath,
  frameOf,
  groupCategories,
  inExtent,
  type PublicAttribute,
  type PublicCategory,
  type PublicCity,
  type PublicLocation,
  type PublicPlace,
  publicBase,
  type ReportDraft,
  rememberReport,
  reportBody,
} from '../public';
import { navigate } from '../router';

/** The frame of the public pages: no navigation, only the city's name and the language switch. */
export function PublicShell(props: { langButton: ReactNode; children: ReactNode }) {
  const { t } = useT();
  return (
    <>
      <header className="topbar public-bar">
        <strong className="brand">{t('appName')}</strong>
        {props.langButton}
      </header>
      <main id="main" tabIndex={-1} className="public">
        {props.children}
      </main>
    </>
  );
}

/** A link inside the console's history router. */
export function RouterLink(props: { to: string; children: ReactNode; className?: string }) {
  return (
    <a
      href={props.to}
      className={props.className}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

const problemLabel = (problem: DraftProblem, i18n: Translator, category: PublicCategory | undefined) => {
  switch (problem) {
    case 'category':
      return i18n.t('publicCategory');
    case 'description':
      return i18n.t('description');
    case 'location':
      return i18n.t('location');
    case 'phone':
      return i18n.t('publicPhoneInvalid');
    default: {
      const code = problem.slice('attribute:'.length);
      return i18n.pick(category?.attributes.find((a) => a.code === code)?.description) || code;
    }
  }
};

/** One extra field a category asks for, typed as the API's attribute says. */
function AttributeField(props: {
  attribute: PublicAttribute;
  value: string | string[] | undefined;
  onChange: (value: string | string[]) => void;
}) {
  const i18n = useT();
  const id = useId();
  const { attribute } = props;
  const label = `${i18n.pick(attribute.description)}${attribute.required ? ` (${i18n.t('required')})` : ''}`;
  const hint = attribute.datatypeDescription ? (
    <span className="muted small">{i18n.pick(attribute.datatypeDescription)}</span>
  ) : null;
  if (attribute.datatype === 'multivaluelist') {
    const chosen = Array.isArray(props.value) ? props.value : [];
    return (
      <fieldset className="field">
        <legend>{label}</legend>
        {(attribute.values ?? []).map((v) => (
          <label key={v.key} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(v.key)}
              onChange={(e) =>
                props.onChange(e.target.checked ? [...chosen, v.key] : chosen.filter((k) => k !== v.key))
              }
            />
            {i18n.pick(v.name)}
          </label>
        ))}
      </fieldset>
    );
  }
  const value = typeof props.value === 'string' ? props.value : '';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {attribute.datatype === 'singlevaluelist' ? (
        <select id={id} value={value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{i18n.t('publicChooseCategory')}</option>
          {(attribute.values ?? []).map((v) => (
            <option key={v.key} value={v.key}>
              {i18n.pick(v.name)}
            </option>
          ))}
        </select>
      ) : attribute.datatype === 'text' ? (
        <textarea
          id={id}
          rows={2}
          maxLength={200}
          value={value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type={
            attribute.datatype === 'number'
              ? 'number'
              : attribute.datatype === 'datetime'
                ? 'datetime-local'
                : 'text'
          }
          maxLength={200}
          value={value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {hint}
    </div>
  );
}

/**
 * The city's public reporting page, phone first and without an account: the kind of problem,
 * the place (the device's position, a tap on a blank map, or an address the city looks up),
 * photos, and a tracking code at the end.
 */
export function PublicReportPage(props: { tenantId: string; api?: ApiClient }) {
  const i18n = useT();
  const id = useId();
  const { tenantId } = props;
  const api = useMemo(() => props.api ?? createApi(undefined, () => {}), [props.api]);
  const base = publicBase(tenantId);
  const [categories, reloadCategories] = useLoad(
    () => api.get<{ items: PublicCategory[] }>(`${base}/categories`).then((answer) => answer.items),
    `public-categories-${tenantId}`,
  );
  const [city] = useLoad(() => api.get<PublicCity>(base), `public-city-${tenantId}`);
  const extent = city.state === 'ready' ? city.value.extent : null;
  const [draft, setDraft] = useState<ReportDraft>(emptyDraft);
  // The map frames the city, or a place the address search found.
  const [focus, setFocus] = useState<[number, number, number, number]>();
  const frameBox = focus ?? extent?.bbox;
  const frame = useMemo(() => (frameBox ? frameOf(frameBox) : undefined), [frameBox]);
  // Where the pin lies: being checked, inside the city (with its street), or refused as outside.
  const [place, setPlace] = useState<PublicLocation | 'checking'>();
  const [refused, setRefused] = useState(false);
  const checks = useRef(0);
  const [matches, setMatches] = useState<PublicPlace[]>();
  const [finding, setFinding] = useState(false);
  // After a first attempt, what is still missing shows as the visitor fills it in.
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [locating, setLocating] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [photoRound, setPhotoRound] = useState(0);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const list = categories.state === 'ready' ? categories.value : [];
  const category = list.find((c) => c.code === draft.categoryCode);
  const update = (patch: Partial<ReportDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const problems: DraftProblem[] = tried ? draftProblems(draft, category) : [];

  /**
   * Puts the pin at a point of the city, or refuses it: at once when it is outside the box
   * around the city's grids, and after asking the city when it falls between its grids.
   */
  const choosePoint = async (point: [number, number]) => {
    const check = ++checks.current;
    setError(undefined);
    if (!inExtent(point, extent)) {
      setRefused(true);
      return;
    }
    const previous = { point: draft.point, place };
    setRefused(false);
    update({ point });
    if (!extent) {
      setPlace(undefined);
      return;
    }
    setPlace('checking');
    try {
      const answer = await api.get<PublicLocation>(`${base}/locate?lon=${point[0]}&lat=${point[1]}`);
      if (check !== checks.current) return;
      if (answer.inside) {
        setPlace(answer);
        return;
      }
      setRefused(true);
      setPlace(previous.place === 'checking' ? undefined : previous.place);
      setDraft((d) => (d.point === point ? { ...d, point: previous.point } : d));
    } catch {
      // The city checks the place again when the report is sent.
      if (check === checks.current) setPlace(undefined);
    }
  };

  const findAddress = async () => {
    const q = draft.address.trim();
    if (q === '') return;
    setError(undefined);
    setFinding(true);
    try {
      const answer = await api.get<{ items: PublicPlace[] }>(`${base}/geocode?q=${encodeURIComponent(q)}`);
      setMatches(answer.items);
    } catch (cause) {
      setMatches(undefined);
      setError(cause);
    } finally {
      setFinding(false);
    }
  };

  const chooseMatch = (match: PublicPlace) => {
    update({ address: match.label });
    setMatches(undefined);
    setFocus(aroundPoint(match.point));
    void choosePoint(match.point);
  };

  const locateMe = () => {
    if (!navigator.geolocation) {
      setError(new Error(i18n.t('mapUnavailable')));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        void choosePoint([
          Number(position.coords.longitude.toFixed(6)),
          Number(position.coords.latitude.toFixed(6)),
        ]);
      },
      (cause) => {
        setLocating(false);
        setError(new Error(cause.message));
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const found = draftProblems(draft, category);
    setTried(true);
    if (found.length > 0 || !category) return;
    setBusy(true);
    try {
      const answer = await api.post<{ trackingCode: string }>(
        `${base}/reports`,
        reportBody(draft, category),
        {
          'idempotency-key': idempotencyKey,
        },
      );
      rememberReport(tenantId, { trackingCode: answer.trackingCode, at: new Date().toISOString() });
      setDone(answer.trackingCode);
      setIdempotencyKey(crypto.randomUUID());
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="card" role="status" data-testid="public-report-done">
        <h1>{i18n.t('publicDone')}</h1>
        <p>{i18n.t('publicDoneLead')}</p>
        <p className="tracking-code">
          {i18n.t('trackingCode')}: <strong data-testid="tracking-code">{done}</strong>
        </p>
        <div className="row wrap">
          <button type="button" className="primary" onClick={() => navigate(followPath(tenantId, done))}>
            {i18n.t('publicFollowThis')}
          </button>
          <button
            type="button"
            onClick={() => {
              setDone(undefined);
              setDraft(emptyDraft());
              setPlace(undefined);
              setFocus(undefined);
              setTried(false);
              setPhotoRound((r) => r + 1);
            }}
          >
            {i18n.t('publicReportAnother')}
          </button>
        </div>
      </section>
    );
  }

  const explained = explainError(error);
  return (
    <form className="report public-report" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      {city.state === 'ready' && (
        <p className="city-name" data-testid="city-name">
          {city.value.name}
        </p>
      )}
      <h1 id={`${id}-title`}>{i18n.t('publicReportTitle')}</h1>
      <p className="muted">{i18n.t('publicReportLead')}</p>
      {categories.state === 'error' && (
        <div className="error" role="alert">
          <p>{i18n.t(explainError(categories.error) ?? 'error')}</p>
          <button type="button" onClick={reloadCategories}>
            {i18n.t('retry')}
          </button>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-cat`}>
          {i18n.t('publicCategory')} ({i18n.t('required')})
        </label>
        <select
          id={`${id}-cat`}
          name="category"
          value={draft.categoryCode}
          aria-busy={categories.state === 'loading'}
          onChange={(e) => update({ categoryCode: e.target.value, attributes: {} })}
        >
          <option value="">
            {categories.state === 'loading' ? i18n.t('loading') : i18n.t('publicChooseCategory')}
          </option>
          {groupCategories(list).map(({ group, items }) => (
            <optgroup key={group.zh} label={i18n.pick(group)}>
              {items.map((c) => (
                <option key={c.code} value={c.code}>
                  {i18n.pick(c.name)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {category?.description && <span className="muted small">{category.description}</span>}
      </div>
      {category?.attributes
        .slice()
        .sort((a, b) => a.order - b.order)
        .map((attribute) => (
          <AttributeField
            key={`${category.code}-${attribute.code}`}
            attribute={attribute}
            value={draft.attributes[attribute.code]}
            onChange={(value) => update({ attributes: { ...draft.attributes, [attribute.code]: value } })}
          />
        ))}
      <div className="field">
        <label htmlFor={`${id}-desc`}>
          {i18n.t('description')} ({i18n.t('required')})
        </label>
        <textarea
          id={`${id}-desc`}
          name="description"
          rows={3}
          maxLength={1000}
          value={draft.description}
          onChange={(e) => update({ description: e.target.value })}
        />
      </div>
      <fieldset>
        <legend>
          {i18n.t('location')} ({i18n.t('required')})
        </legend>
        <div className="row wrap">
          <button type="button" onClick={locateMe} disabled={locating}>
            {locating ? i18n.t('locating') : i18n.t('useMyLocation')}
          </button>
          {draft.point && (
            <button
              type="button"
              className="link"
              onClick={() => {
                checks.current += 1;
                update({ point: undefined });
                setPlace(undefined);
                setRefused(false);
              }}
            >
              {i18n.t('publicClearPin')}
            </button>
          )}
        </div>
        <p className="muted small">{i18n.t('publicPin')}</p>
        {city.state === 'ready' && !extent && <p className="muted small">{i18n.t('publicNoGrids')}</p>}
        <MapView
          units={frame}
          marker={draft.point}
          onPick={(point) => void choosePoint(point)}
          label={
            city.state === 'ready' ? `${city.value.name} ${i18n.t('publicCityMap')}` : i18n.t('publicPin')
          }
          className="map-small"
        />
        {refused && (
          <p className="error" role="alert" data-testid="place-refused">
            {i18n.t('publicOutside')}
          </p>
        )}
        <p data-testid="picked" aria-live="polite" className="small">
          {draft.point ? `${i18n.t('publicPinSet')}: ${draft.point[0]}, ${draft.point[1]}` : ''}
          {draft.point && place === 'checking' && ` · ${i18n.t('publicCheckingPlace')}`}
          {draft.point &&
            typeof place === 'object' &&
            place.inside &&
            ` · ${i18n.t('publicPlaceIn')} ${[place.street, place.community].filter(Boolean).join(' ')}`}
        </p>
        <div className="field">
          <label htmlFor={`${id}-addr`}>{i18n.t('publicAddress')}</label>
          <input
            id={`${id}-addr`}
            name="address"
            maxLength={300}
            autoComplete="street-address"
            value={draft.address}
            onChange={(e) => update({ address: e.target.value })}
            onKeyDown={(e) => {
              // Enter looks the address up rather than sending the report half-filled.
              if (e.key === 'Enter') {
                e.preventDefault();
                void findAddress();
              }
            }}
          />
          <span className="muted small">{i18n.t('publicAddressHint')}</span>
          <div className="row wrap">
            <button
              type="button"
              onClick={() => void findAddress()}
              disabled={finding || !draft.address.trim()}
            >
              {finding ? i18n.t('publicFinding') : i18n.t('publicFindAddress')}
            </button>
          </div>
          {matches && matches.length === 0 && (
            <p className="muted small" role="status" data-testid="no-matches">
              {i18n.t('publicNoMatches')}
            </p>
          )}
          {matches && matches.length > 0 && (
            <ul className="matches" aria-label={i18n.t('publicMatches')} data-testid="matches">
              {matches.map((m) => (
                <li key={`${m.label}-${m.point.join(',')}`}>
                  <button type="button" className="link" onClick={() => chooseMatch(m)}>
                    {m.label}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </fieldset>
      <PhotoInput
        key={photoRound}
        api={api}
        name="photos"
        label={i18n.t('photo')}
        ticketPath={`${base}/attachments`}
        onChange={(photos) => update({ photos })}
      />
      <details className="field">
        <summary>{i18n.t('publicContact')}</summary>
        <label htmlFor={`${id}-name`}>{i18n.t('publicContactName')}</label>
        <input
          id={`${id}-name`}
          maxLength={40}
          autoComplete="name"
          value={draft.contactName}
          onChange={(e) => update({ contactName: e.target.value })}
        />
        <label htmlFor={`${id}-phone`}>{i18n.t('publicContactPhone')}</label>
        <input
          id={`${id}-phone`}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          value={draft.contactPhone}
          onChange={(e) => update({ contactPhone: e.target.value })}
        />
      </details>
      {problems.length > 0 && (
        <p className="error" role="alert" data-testid="problems">
          {i18n.t('publicMissing')}: {problems.map((p) => problemLabel(p, i18n, category)).join('、')}
        </p>
      )}
      {explained && (
        <p className="error" role="alert">
          {i18n.t(explained)}
        </p>
      )}
      {!explained && <ErrorText error={error} />}
      <button type="submit" className="primary block" disabled={busy}>
        {busy ? i18n.t('publicSubmitting') : i18n.t('submit')}
      </button>
    </form>
  );
}
