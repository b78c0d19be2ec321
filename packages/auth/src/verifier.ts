import { AppError, type Clock, type Principal, systemClock } from '@civicgrid/domain';
import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { principalFromClaims } from './claims';

export interface TokenVerifierOptions {
  issuer: string;
  /** The app client id; Cognito puts it in an ID token's `aud`. */
  audience: string;
  keys: JWTVerifyGetKey;
  clock?: Clock;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Checks signature, issuer, audience and expiry, then reads who the caller is. */
export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  const clock = options.clock ?? systemClock;
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256', 'RS256'],
        currentDate: clock.now(),
        clockTolerance: 5,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AppError('token_expired', 'The token has expired.');
      throw new AppError('invalid_token', 'The token is not valid.');
    }
    const principal = principalFromClaims(payload);
    if (!principal) throw new AppError('invalid_token', 'The token does not name a tenant, role and scope.');
    return principal;
  };
};
