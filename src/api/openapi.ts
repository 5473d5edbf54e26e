import { z } from 'zod';
import { errorSchema } from './api-responses.js';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema for OpenAPI 3.1 (which uses JSON Schema 2020-12 as is). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const json = (schema: JsonSchema): Record<string, unknown> => ({ content: { 'application/json': { schema } } });

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document, generated from the route list and the very zod
 * schemas the server validates requests with (`z.toJSONSchema`), so it cannot say something the server
 * does not do.
 */
export function openApiDocument(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = schemaOf(errorSchema, 'output');
  for (const route of routes) {
    const names = [...route.path.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1] ?? '');
    const query = schemaOf(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    const parameters = [
      ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: query.required?.includes(name) && schema.default === undefined,
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
        schema,
      })),
    ];
    const responses: Record<string, unknown> = {
      [String(route.status ?? 200)]: route.response
        ? { description: 'OK', ...json(schemaOf(route.response, 'output')) }
        : { description: 'A stream of server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      400: { description: 'Bad input: the reason names the parameter or field', ...json(error) },
    };
    if (route.access !== 'public') responses['401'] = { description: 'No or wrong bearer token', ...json(error) };
    for (const [status, description] of Object.entries(route.errors ?? {})) responses[status] = { description, ...json(error) };
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        ...(route.access === 'public' ? { security: [] } : {}),
        ...(route.access === 'read' ? { 'x-flotilla-access': 'read: needs the token unless the server runs with --open-reads' } : {}),
        parameters,
        ...(route.body ? { requestBody: { required: false, ...json(schemaOf(route.body, 'input')) } } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flotilla API',
      version,
      description: 'Campaigns, runs, why runs are stuck, human actions and live events. See docs/api.md.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
