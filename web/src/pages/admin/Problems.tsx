import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n';
import { problemLines } from './api-problems';

/** An API error, readable, with the details that say what was refused; nothing when there is none. */
export function Problems({ error, keys }: { error: unknown; keys?: Record<string, MessageKey> }) {
  const i18n = useT();
  if (error === undefined) return null;
  const { headline, lines } = problemLines(error, i18n, keys);
  return (
    <div className="error" role="alert">
      <p>{headline}</p>
      {lines.length > 0 && (
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A status line for what went well (saved, reloaded after a conflict). */
export function Notice({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <p className="muted" role="status">
      {text}
    </p>
  );
}
