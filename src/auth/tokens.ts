import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

const ALG = 'HS256';

export async function signToken(
  secret: string,
  userId: string,
  ttlSeconds = 60 * 60 * 24 * 30,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

export type TokenCheck =
  | {
      ok: true;
      userId: string;
      /** When the token stops being valid (its `exp`). */ expiresAt: Date;
    }
  | { ok: false; reason: string };

/** HS256 only, `exp` required, `sub` is the user id. Never throws. */
export async function verifyToken(secret: string, token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: [ALG],
      requiredClaims: ['exp', 'sub'],
    });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      return { ok: false, reason: 'The token has no subject.' };
    }
    return { ok: true, userId: payload.sub, expiresAt: new Date((payload.exp as number) * 1000) };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      return { ok: false, reason: 'The token has expired.' };
    return { ok: false, reason: 'The token is malformed or wrongly signed.' };
  }
}

/** `Bearer <jwt>` → the jwt; anything else → null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}
