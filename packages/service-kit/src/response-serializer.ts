import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

function zodSchemaOf(schema: unknown): z.ZodType | null {
  if (schema instanceof z.ZodType) return schema;
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return properties instanceof z.ZodType ? properties : null;
}

/**
 * Writes a response body with fast-json-stringify, compiled from the JSON Schema of the route's zod
 * response schema (the one OpenAPI publishes): what fastify does for JSON Schema routes.
 *
 * Why not the zod type provider's serializer: it encodes each body through zod (a checked copy)
 * and then runs `JSON.stringify`, about ten times the cost of this serializer (README, "Measurements
 * behind code choices"), and every scan and every batched scan pays it.
 *
 * What stays the same: only the schema's properties are written (an object's other fields never
 * leak into a body), in the schema's order. What changes: a wrong value is not refused with a 500
 * but written as the schema's type coerces it; the handlers' types and the tests keep the values
 * right. A schema that encodes on the way out (a codec, a pipe, a transform: its JSON Schema
 * describes the decoded side, not what goes on the wire) or that JSON Schema cannot express keeps
 * the zod serializer.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  const schema = zodSchemaOf(route.schema);
  if (schema === null) return zodSerializerCompiler(route);
  let encodes = false;
  try {
    const jsonSchema = z.toJSONSchema(schema, {
      io: 'output',
      target: 'draft-7',
      unrepresentable: 'throw',
      override: ({ zodSchema }) => {
        const type = zodSchema._zod.def.type;
        if (type === 'pipe' || type === 'transform') encodes = true;
      },
    });
    if (!encodes) return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
  } catch {
    // Not expressible in JSON Schema: the zod serializer below.
  }
  return zodSerializerCompiler(route);
};
