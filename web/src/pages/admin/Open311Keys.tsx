import { type FormEvent, useId, useState } from 'react';
import { Show } from '../../components/Status';
import { Table } from '../../components/Table';
import { useApp, useLoad } from '../../hooks';
import { type MessageKey, useT } from '../../i18n';
import { type IssuedKey, keyBody, type Open311KeyView, sortKeys } from './open311-key-form';
import { Notice, Problems } from './Problems';

/** The key just issued: shown once, with a copy button; gone when dismissed or reloaded. */
function IssuedSecret({ issued, onDismiss }: { issued: IssuedKey; onDismiss: () => void }) {
  const i18n = useT();
  const id = useId();
  const [copied, setCopied] = useState<MessageKey>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.apiKey);
      setCopied('o311Copied');
    } catch {
      setCopied('o311CopyFailed');
    }
  };
  return (
    <div className="notice" role="status" aria-labelledby={`${id}-t`}>
      <p id={`${id}-t`}>
        <strong>
          {i18n.t('o311Created')}: {issued.name}
        </strong>
      </p>
      <p>{i18n.t('o311SecretOnce')}</p>
      <label htmlFor={`${id}-k`} className="sr-only">
        {i18n.t('o311Title')}
      </label>
      <input
        id={`${id}-k`}
        readOnly
        value={issued.apiKey}
        data-testid="issued-key"
        onFocus={(e) => e.currentTarget.select()}
        style={{ width: '100%', fontFamily: 'monospace' }}
      />
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          {i18n.t('o311Copy')}
        </button>
        <button type="button" onClick={onDismiss}>
          {i18n.t('o311Dismiss')}
        </button>
        {copied && <span className="muted">{i18n.t(copied)}</span>}
      </div>
    </div>
  );
}

function KeyRow(props: { item: Open311KeyView; onRevoked: (item: Open311KeyView) => void }) {
  const { api } = useApp();
  const i18n = useT();
  const { item } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const revoke = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/v1/settings/open311-keys/${encodeURIComponent(item.id)}/revoke`, {});
      setConfirming(false);
      props.onRevoked(item);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-key={item.id} data-key-name={item.name}>
      <td>{item.name}</td>
      <td>{item.status === 'active' ? i18n.t('o311Active') : i18n.t('o311Revoked')}</td>
      <td>{item.postsPerHour}</td>
      <td>{new Date(item.createdAt).toLocaleString(i18n.lang === 'en' ? 'en' : 'zh-CN')}</td>
      <td>
        {item.revokedAt ? new Date(item.revokedAt).toLocaleString(i18n.lang === 'en' ? 'en' : 'zh-CN') : ''}
      </td>
      <td>
        {item.status === 'active' &&
          (confirming ? (
            <fieldset>
              <legend>{i18n.t('o311RevokeConfirm')}</legend>
              <div className="row">
                <button type="button" disabled={busy} onClick={() => void revoke()}>
                  {i18n.t('o311RevokeYes')}
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  {i18n.t('cancel')}
                </button>
              </div>
            </fieldset>
          ) : (
            <button
              type="button"
              aria-label={`${i18n.t('o311Revoke')} ${item.name}`}
              onClick={() => setConfirming(true)}
            >
              {i18n.t('o311Revoke')}
            </button>
          ))}
        <Problems error={error} />
      </td>
    </tr>
  );
}

/** The Open311 API keys the city issues to its client applications: issue, list, revoke. */
export function Open311Keys() {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const [keys, reload] = useLoad(
    () => api.get<{ items: Open311KeyView[] }>('/v1/settings/open311-keys'),
    'open311-keys',
  );
  const [name, setName] = useState('');
  const [postsPerHour, setPostsPerHour] = useState('');
  const [problems, setProblems] = useState<{ name?: MessageKey; postsPerHour?: MessageKey }>({});
  const [issued, setIssued] = useState<IssuedKey>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    const result = keyBody(name, postsPerHour);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    setBusy(true);
    try {
      setIssued(await api.post<IssuedKey>('/v1/settings/open311-keys', result.body));
      setName('');
      setPostsPerHour('');
      reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{i18n.t('o311Title')}</h3>
      <p className="muted small">{i18n.t('o311Intro')}</p>
      <form onSubmit={submit} aria-label={i18n.t('o311Create')} noValidate>
        <div className="row wrap">
          <div className="field">
            <label htmlFor={`${id}-n`}>{i18n.t('o311Name')}</label>
            <input
              id={`${id}-n`}
              value={name}
              maxLength={80}
              aria-invalid={problems.name ? true : undefined}
              onChange={(e) => setName(e.target.value)}
            />
            {problems.name && <small className="error">{i18n.t(problems.name)}</small>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-p`}>{i18n.t('o311PostsPerHour')}</label>
            <input
              id={`${id}-p`}
              value={postsPerHour}
              inputMode="numeric"
              placeholder="300"
              aria-describedby={`${id}-ph`}
              aria-invalid={problems.postsPerHour ? true : undefined}
              onChange={(e) => setPostsPerHour(e.target.value)}
            />
            <small id={`${id}-ph`} className="muted small">
              {i18n.t('o311PostsHint')}
            </small>
            {problems.postsPerHour && <small className="error">{i18n.t(problems.postsPerHour)}</small>}
          </div>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {i18n.t('o311Create')}
        </button>
      </form>
      <Problems error={error} />
      {issued && <IssuedSecret issued={issued} onDismiss={() => setIssued(undefined)} />}
      <Notice text={notice} />
      <Show data={keys} retry={reload} isEmpty={(v) => v.items.length === 0}>
        {({ items }) => (
          <Table
            caption={i18n.t('o311Title')}
            heads={[
              i18n.t('o311Name'),
              i18n.t('o311Status'),
              i18n.t('o311PostsPerHour'),
              i18n.t('o311CreatedAt'),
              i18n.t('o311RevokedAt'),
            ]}
            actionsHead={i18n.t('actions')}
          >
            {sortKeys(items).map((item) => (
              <KeyRow
                key={`${item.id}:${item.status}`}
                item={item}
                onRevoked={(revoked) => {
                  setNotice(`${i18n.t('o311RevokedNotice')}: ${revoked.name}`);
                  if (issued?.id === revoked.id) setIssued(undefined);
                  reload();
                }}
              />
            ))}
          </Table>
        )}
      </Show>
    </section>
  );
}
