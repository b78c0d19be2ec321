import { useId, useState } from 'react';
import { type ApiClient, uploadAttachment } from '../api';
import { errorText } from '../errors';
import { useT } from '../i18n';

/** Picks photos (the phone's camera on mobile), uploads each through a presigned ticket, reports the ids. */
export function PhotoInput(props: {
  api: ApiClient;
  label: string;
  required?: boolean;
  onChange: (ids: string[]) => void;
  name?: string;
  /** Where to ask for upload tickets; staff's `/v1/attachments` unless said. */
  ticketPath?: string;
}) {
  const i18n = useT();
  const { t } = i18n;
  const id = useId();
  const [ids, setIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const pick = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const uploaded: string[] = [];
      for (const file of Array.from(files))
        uploaded.push(await uploadAttachment(props.api, file, props.ticketPath));
      const next = [...ids, ...uploaded];
      setIds(next);
      props.onChange(next);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? ` (${t('required')})` : ''}
      </label>
      <input
        id={id}
        name={props.name}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/heic"
        capture="environment"
        multiple
        onChange={(e) => void pick(e.target.files)}
      />
      <span className="muted small" aria-live="polite" data-testid="photo-status">
        {busy ? t('uploading') : ids.length > 0 ? `${t('uploaded')} ${ids.length}` : ''}
      </span>
      {error !== undefined && (
        <p className="error" role="alert">
          {errorText(error, i18n)}
        </p>
      )}
    </div>
  );
}
