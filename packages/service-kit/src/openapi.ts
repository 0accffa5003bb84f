import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';
export const BEARER_SCHEME = 'bearerAuth';

export interface OpenApiSettings {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/**
 * The OpenAPI document is generated from the routes' zod schemas, so it cannot drift from what is
 * validated. Must be registered before any route so its onRoute hook sees them all.
 */
export async function registerOpenApi(app: FastifyInstance, settings: OpenApiSettings): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: settings.title, version: settings.version, description: settings.description ?? '' },
      components: {
        securitySchemes: { [BEARER_SCHEME]: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: createJsonSchemaTransform({ skipList: [OPENAPI_PATH] }),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PATH });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, () => app.swagger());
}
