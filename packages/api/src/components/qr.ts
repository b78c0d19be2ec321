/**
 * What the QR code printed on a component holds: `CG1:<tenantId>:<code>`.
 *
 * - `CG1` marks the payload as ours, in version 1 of the format, so a scanner can tell our
 *   codes from any other QR on the street and a later format can coexist with printed plates.
 * - The tenant id makes the code self-describing: one app serves many cities, and a plate must
 *   identify its city without knowing where it was scanned. It is never trusted for access: the
 *   API resolves only payloads of the caller's own tenant.
 * - The component code, not a URL or a database id, is printed: it survives a change of domain
 *   or storage, and it is the code a grid worker reads out when the QR is unreadable (Dongcheng
 *   replaced its 8-digit component codes with QR codes; the code itself stays the identity).
 *
 * Neither part can contain ':' (tenant ids are [a-z0-9-], component codes [A-Za-z0-9-]), so the
 * payload splits without ambiguity. It carries no secret: it is printed on the street.
 */
export const QR_PREFIX = 'CG1';

export const qrPayloadOf = (tenantId: string, code: string) => `${QR_PREFIX}:${tenantId}:${code}`;

const QR_PATTERN = /^CG1:([a-z0-9][a-z0-9-]{1,31}):([A-Za-z0-9-]{1,40})$/;

/** The tenant and component a payload names, or undefined when it is not one of ours. */
export const parseQrPayload = (payload: string): { tenantId: string; code: string } | undefined => {
  // Scanners often hand over a trailing newline or spaces with the text.
  const match = payload.trim().match(QR_PATTERN);
  return match?.[1] && match[2] ? { tenantId: match[1], code: match[2] } : undefined;
};
