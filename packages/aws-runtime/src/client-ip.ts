import { timingSafeEqual } from 'node:crypto';

/**
 * The header the console's CloudFront distribution adds to every request it passes to the API,
 * holding a secret only it and the API know: proof that CloudFront-Viewer-Address is CloudFront's.
 */
export const ORIGIN_VERIFY_HEADER = 'x-civicgrid-origin-verify';

/** CloudFront's `ip:port` of the viewer (IPv6 without brackets), as the address alone. */
export const viewerAddress = (header: string): string | undefined => {
  const at = header.lastIndexOf(':');
  const address = at > 0 ? header.slice(0, at) : '';
  return /^[0-9a-fA-F.:]+$/.test(address) ? address : undefined;
};

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The caller's IP for rate limits and logs. Through the console's distribution API Gateway sees
 * CloudFront's address, shared by everyone at that edge; the viewer's own is in
 * CloudFront-Viewer-Address, believed only when the request also carries the origin secret
 * (anyone calling the API directly could send that header).
 */
export const resolveClientIp = (
  sourceIp: string | undefined,
  header: (name: string) => string | undefined,
  originSecret: string | undefined,
): string => {
  const fallback = sourceIp ?? 'unknown';
  if (!originSecret) return fallback;
  const proof = header(ORIGIN_VERIFY_HEADER);
  const viewer = header('cloudfront-viewer-address');
  if (!proof || !viewer || !same(proof, originSecret)) return fallback;
  return viewerAddress(viewer) ?? fallback;
};
