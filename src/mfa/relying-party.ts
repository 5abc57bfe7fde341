import { allowedHost, splitDomainPort } from '../csrf/origin.ts';
import type { AuthRequest } from '../request.ts';

/** The WebAuthn relying party as configured: each part unset means "the request's own". */
export interface RelyingPartySettings {
  /** `GATEHOUSE_WEBAUTHN_RP_ID`; null: the request's host, without its port. */
  id: string | null;
  /** `GATEHOUSE_WEBAUTHN_RP_NAME`. */
  name: string;
  /** `GATEHOUSE_WEBAUTHN_ORIGINS`; empty: the request's own origin. */
  origins: readonly string[];
  /** Django's ALLOWED_HOSTS: only such a `Host` may stand for the request's own origin. */
  allowedHosts: readonly string[];
}

/** The relying party one ceremony runs for. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/**
 * The relying party of a request: the configured id, name and origins, or,
 * where unset, the request's own host and origin — read only from a `Host`
 * in the allowed hosts, as the CSRF origin check does, so a forged `Host`
 * cannot choose the origin a passkey is accepted from. Null when nothing can
 * be derived (a host that is not allowed and no configured id).
 *
 * ```ts
 * relyingParty(req, { id: null, name: 'Gatehouse', origins: [], allowedHosts: ['.localhost'] })
 * // { id: 'localhost', name: 'Gatehouse', origins: ['http://localhost:8000'] } for Host: localhost:8000
 * ```
 */
export function relyingParty(req: AuthRequest, settings: RelyingPartySettings): RelyingParty | null {
  const host = allowedHost(req, settings.allowedHosts)?.toLowerCase() ?? null;
  const id = settings.id ?? (host ? splitDomainPort(host)[0] : '');
  const origins =
    settings.origins.length > 0
      ? [...settings.origins]
      : host
        ? [`${req.secure ? 'https' : 'http'}://${host}`]
        : [];
  if (!id || origins.length === 0) return null;
  return { id, name: settings.name, origins };
}
