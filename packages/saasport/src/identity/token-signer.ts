import { createPrivateKey, type KeyObject, randomBytes } from "node:crypto";
import { type JWTPayload, SignJWT } from "jose";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { type AccessTokenClaims, accessTokenLifetimeSeconds } from "./access-token-claims.js";
import { ensureSigningKey, type SigningKey, signerKeyCacheMs } from "./signing-keys.js";

export interface SignJwtOptions {
  audience: string | string[];
  issuer?: string;
  subject?: string;
  /** Defaults to one hour. */
  lifetimeSeconds?: number;
}

export interface SignedToken {
  token: string;
  kid: string;
  tokenId: string;
  issuedAt: Date;
  notBefore: Date;
  expiresAt: Date;
}

export interface TokenSigner {
  /** Signs any JWT (RS256, header kid/x5t/typ) with the active key; `iat`, `nbf`, `exp`, `uti`, `jti` are set here. */
  signJwt(payload: JWTPayload, options: SignJwtOptions): Promise<SignedToken>;
  /** Signs an access token built by `accessTokenClaims`. */
  signAccessToken(claims: AccessTokenClaims): Promise<SignedToken>;
  /** Drops the cached key so the next token uses the newest one (call after rotating in this process). */
  forgetCachedKey(): void;
}

export interface TokenSignerDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** How long the active key is cached before it is read again (other nodes may have rotated it). */
  keyCacheMs?: number;
}

interface CachedKey {
  key: SigningKey;
  privateKey: KeyObject;
  loadedAtMs: number;
}

export function createTokenSigner(deps: TokenSignerDeps): TokenSigner {
  const cacheMs = deps.keyCacheMs ?? signerKeyCacheMs;
  let cached: CachedKey | undefined;
  let loading: Promise<CachedKey> | undefined;

  async function activeKey(): Promise<CachedKey> {
    if (cached && Date.now() - cached.loadedAtMs < cacheMs) return cached;
    loading ??= ensureSigningKey(deps.db, deps.clock.now())
      .then((key) => {
        cached = { key, privateKey: createPrivateKey(key.privateKeyPem), loadedAtMs: Date.now() };
        return cached;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function signJwt(payload: JWTPayload, options: SignJwtOptions): Promise<SignedToken> {
    const { key, privateKey } = await activeKey();
    const issuedAtSeconds = Math.floor(deps.clock.now().getTime() / 1000);
    const expiresAtSeconds = issuedAtSeconds + (options.lifetimeSeconds ?? accessTokenLifetimeSeconds);
    const tokenId = randomBytes(16).toString("base64url");
    const jwt = new SignJWT({ ...payload, uti: tokenId })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid, x5t: key.publicJwk.x5t })
      .setAudience(options.audience)
      .setIssuedAt(issuedAtSeconds)
      .setNotBefore(issuedAtSeconds)
      .setExpirationTime(expiresAtSeconds)
      .setJti(tokenId);
    if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
    if (options.subject !== undefined) jwt.setSubject(options.subject);
    return {
      token: await jwt.sign(privateKey),
      kid: key.kid,
      tokenId,
      issuedAt: new Date(issuedAtSeconds * 1000),
      notBefore: new Date(issuedAtSeconds * 1000),
      expiresAt: new Date(expiresAtSeconds * 1000),
    };
  }

  return {
    signJwt,
    signAccessToken(claims) {
      const { aud, iss, sub, ...rest } = claims;
      return signJwt(rest, {
        audience: aud,
        issuer: iss,
        subject: sub,
        lifetimeSeconds: accessTokenLifetimeSeconds,
      });
    },
    forgetCachedKey() {
      cached = undefined;
    },
  };
}
