// The OpenAPI 3.1 document, generated from the routes' own zod schemas.
import { createDocument, type oas31 } from 'zod-openapi';
import type { Route } from './http/route';

export function openApiDocument(routes: Route[]): oas31.OpenAPIObject {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, operation } of routes) (paths[path] ??= {})[method] = operation;
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Audit Trail API',
      version: '1.0.0',
      description:
        'The change history of a contact-center account: who changed what, when, from which value to which value. ' +
        'Errors are RFC 9457 problem details. Authenticate with "Authorization: Bearer <token>". ' +
        'Every GET operation also answers HEAD: the same status and headers, without the body. ' +
        'Answers carry "Cache-Control: no-store" (audit data is never cached), except successful answers of ' +
        '/openapi.json ("public, max-age=300") and /v1/keys ("public, max-age=60").',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  });
}
