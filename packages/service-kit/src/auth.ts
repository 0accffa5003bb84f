import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { forbidden, unauthorized } from './app-error.ts';
import { hashKey, StaticTokens } from './auth-keys.ts';
import { ErrorBodySchema } from './error-body.ts';
import { BEARER_SCHEME } from './openapi.ts';
import type { Principal, RouteAccess } from './principal.ts';

/**
 * Looks up a service-issued key (device, exhibitor) by its SHA-256 hash; null when unknown or
 * revoked. A throw (its store is down) answers 503 through the error handler, not 401.
 */
export type KeyResolver = (keyHash: string, request: FastifyRequest) => Promise<Principal | null>;

export interface AuthOptions {
  readonly adminTokens?: readonly string[];
  readonly opsTokens?: readonly string[];
  readonly resolveKey?: KeyResolver;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required on every write route; `'public'` opts out explicitly. */
    roles?: RouteAccess;
  }
  interface FastifyRequest {
    /** The authenticated caller; only on routes that declare `config.roles`. */
    readonly principal: Principal;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// RFC 6750 b64token, bounded so a huge header cannot make us hash megabytes.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,512}=*)$/i;

function bearerToken(header: string | undefined): string | null {
  const match = header === undefined ? null : BEARER.exec(header.trim());
  return match?.[1] ?? null;
}

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
}

/**
 * Fails at boot when a write route forgets to say who may call it, so a missing declaration is
 * never a silent hole; documents the credential and the 401/403 answers in OpenAPI.
 */
function declareAccess(route: RouteOptions): void {
  const roles = route.config?.roles;
  if (roles === undefined) {
    if (methodsOf(route).some((m) => WRITE_METHODS.has(m))) {
      throw new Error(`${methodsOf(route).join(',')} ${route.url} must declare config.roles (or 'public')`);
    }
    return;
  }
  if (roles === 'public') return;
  const schema = route.schema ?? {};
  const response = (schema.response ?? {}) as Record<string, unknown>;
  route.schema = {
    ...schema,
    security: [{ [BEARER_SCHEME]: [] }],
    response: { 401: ErrorBodySchema, 403: ErrorBodySchema, ...response },
  };
}

/** Establishes the caller from the Authorization header; null when absent or unknown. */
export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

export function createAuthenticator(options: AuthOptions): Authenticator {
  const staticTokens = new StaticTokens({ admin: options.adminTokens ?? [], ops: options.opsTokens ?? [] });
  return async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === null) return null;
    const tokenHash = hashKey(token);
    const match = staticTokens.matchHash(tokenHash);
    if (match) return { role: match.role, id: `${match.role}:${match.fingerprint}` };
    return options.resolveKey ? options.resolveKey(tokenHash, request) : null;
  };
}

/**
 * Why a caller was refused, a bounded set. A revoked or rotated-out key counts as `unknown_key`:
 * only the hashes of live keys are kept, so nothing tells it apart from a guessed one.
 */
export const AUTH_FAILURE_REASONS = ['missing', 'malformed', 'unknown_key', 'wrong_role'] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

function failureReason(request: FastifyRequest): AuthFailureReason {
  const header = request.headers.authorization;
  if (header === undefined) return 'missing';
  return bearerToken(header) === null ? 'malformed' : 'unknown_key';
}

/** `auth_failures_total{reason}` on the app's registry (when it has one), every reason at 0 from the start. */
function authFailureCounter(app: FastifyInstance): Counter<'reason'> | null {
  if (!app.hasDecorator('metrics')) return null;
  const counter = new Counter({
    name: 'auth_failures_total',
    help: 'Requests refused by bearer auth: no credential (missing), not a bearer token (malformed), a key nobody holds (unknown_key, revoked keys included) or another role (wrong_role)',
    labelNames: ['reason'] as const,
    registers: [app.metrics],
  });
  for (const reason of AUTH_FAILURE_REASONS) counter.inc({ reason }, 0);
  return counter;
}

function auth(app: FastifyInstance, options: AuthOptions, done: (error?: Error) => void): void {
  const authenticate = createAuthenticator(options);
  const failures = authFailureCounter(app);
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.decorateRequest('principal', {
    getter(this: FastifyRequest): Principal {
      const principal = principals.get(this);
      if (!principal) throw new Error(`request.principal read on ${this.url}, a route without config.roles`);
      return principal;
    },
  });
  app.addHook('onRoute', declareAccess);
  // onRequest: a refused caller gets no body parsing, no validation and no handler.
  app.addHook('onRequest', async (request) => {
    const roles: RouteAccess | undefined = request.routeOptions.config?.roles;
    if (roles === undefined || roles === 'public') return;
    const principal = await authenticate(request);
    if (!principal) {
      failures?.inc({ reason: failureReason(request) });
      throw unauthorized();
    }
    if (!roles.includes(principal.role)) {
      failures?.inc({ reason: 'wrong_role' });
      throw forbidden();
    }
    principals.set(request, principal);
    request.log = request.log.child({ role: principal.role, principalId: principal.id });
  });
  done();
}

/** Bearer-token authentication and per-route roles (`config: { roles: ['admin'] }`). */
export const authPlugin = fp(auth, { name: 'auth', fastify: '5.x' });
