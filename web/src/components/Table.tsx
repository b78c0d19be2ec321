import type { CSSProperties, ReactNode } from 'react';

/**
 * A data table as the console shows them: wrapped so that a table wider than a phone scrolls, with a caption
 * for screen readers and a row of column heads. `actionsHead` adds a last column for row buttons, named
 * for screen readers only.
 */
export function Table(props: {
  caption: string;
  heads: string[];
  actionsHead?: string;
  children: ReactNode;
  testId?: string;
  style?: CSSProperties;
}) {
  return (
    // A table wider than a phone scrolls: focusable, so that a keyboard can scroll it too (WCAG 2.1.1).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <div className="table-wrap" tabIndex={0}>
      <table data-testid={props.testId} style={props.style}>
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.heads.map((head) => (
              <th key={head} scope="col">
                {head}
              </th>
            ))}
            {props.actionsHead !== undefined && (
              <th scope="col">
                <span className="sr-only">{props.actionsHead}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
