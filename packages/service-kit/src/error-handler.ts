import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalidRequest, type ErrorDetail } from './app-error.ts';
import { codeForStatus } from './error-codes.ts';
import { errorBody } from './error-body.ts';

/**
 * Turns an error thrown by a dependency client (Redis, Kafka) into the AppError the caller should
 * see, or returns undefined when it does not recognise the error. Plugins register one for the
 * client they own, so the handler needs no knowledge of any client library.
 */
export type ErrorMapper = (error: unknown) => AppError | undefined;

export interface ErrorMappers {
  add(mapper: ErrorMapper): void;
  map(error: unknown): AppError | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    errorMappers: ErrorMappers;
  }
}

interface ValidationProblem {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

function problemPath(context: string | undefined, problem: ValidationProblem): string {
  const segments = (problem.instancePath ?? '').split('/').filter((s) => s.length > 0);
  // JSON-schema "required" errors point at the parent; name the missing field instead.
  const missing = problem.params?.missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  return [context ?? 'request', ...segments].join('.');
}

function validationError(error: FastifyError): AppError {
  const problems = (error.validation ?? []) as ValidationProblem[];
  const details: ErrorDetail[] = problems.map((p) => ({
    path: problemPath(error.validationContext, p),
    message: p.message ?? 'is invalid',
  }));
  return invalidRequest('The request is invalid', details);
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

/** The AppError the caller sees for any thrown value; unknown errors become a bare 500. */
export function toAppError(error: unknown, mappers: ErrorMappers): AppError {
  if (error instanceof AppError) return error;
  const mapped = mappers.map(error);
  if (mapped) return mapped;
  if (isFastifyError(error)) {
    if (error.validation) return validationError(error);
    const status = error.statusCode ?? 500;
    // Framework 4xx errors (body too large, bad JSON, bad content type) carry messages written for
    // clients; anything 5xx may carry internals and is replaced below.
    if (status >= 400 && status < 500) return new AppError(codeForStatus(status), error.message, { cause: error });
  }
  return new AppError('internal_error', 'Something went wrong on our side', { cause: error });
}

export function sendAppError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(Math.max(0, Math.ceil(error.retryAfterSeconds))));
  }
  if (error.code === 'unauthorized') reply.header('www-authenticate', 'Bearer');
  return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
}

function logError(request: FastifyRequest, original: unknown, answered: AppError): void {
  if (answered.status >= 500) {
    request.log.error({ err: original, code: answered.code }, 'request failed');
  } else {
    request.log.info({ code: answered.code, status: answered.status }, 'request refused');
  }
}

function createErrorMappers(): ErrorMappers {
  const mappers: ErrorMapper[] = [];
  return {
    add: (mapper) => {
      mappers.push(mapper);
    },
    map: (error) => {
      for (const mapper of mappers) {
        const mapped = mapper(error);
        if (mapped) return mapped;
      }
      return undefined;
    },
  };
}

/** Every error and every unknown route answers with the contract's error body. */
export function installErrorHandling(app: FastifyInstance): void {
  app.decorate('errorMappers', createErrorMappers());
  app.setErrorHandler((error, request, reply) => {
    const answered = toAppError(error, app.errorMappers);
    logError(request, error, answered);
    return sendAppError(reply, answered);
  });
  app.setNotFoundHandler((request, reply) => {
    return sendAppError(reply, new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`));
  });
}
