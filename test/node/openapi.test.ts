// The OpenAPI document is generated from the routes' own schemas; here a real OpenAPI 3.1
// validator checks it, and it is checked to describe every route and its errors.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../worker/openapi';
import { routes } from '../../worker/routes';

const document = openApiDocument(routes) as any;

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route of the contract', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /readyz',
        'GET /v1/accounts/{accountId}/token-events',
        'POST /v1/accounts',
        'GET /v1/accounts/{accountId}',
        'GET /v1/accounts/{accountId}/me',
        'POST /v1/accounts/{accountId}/tokens',
        'GET /v1/accounts/{accountId}/tokens',
        'DELETE /v1/accounts/{accountId}/tokens/{tokenId}',
        'POST /v1/accounts/{accountId}/changes',
        'POST /v1/accounts/{accountId}/changes/batch',
        'GET /v1/accounts/{accountId}/events',
        'GET /v1/accounts/{accountId}/objects/{objectType}/{objectId}/events',
        'POST /v1/accounts/{accountId}/events/export-links',
        'GET /v1/export-links/{secret}',
      ]),
    );
  });

  it('documents parameters, bodies and problem responses from the validating schemas', () => {
    const list = document.paths['/v1/accounts/{accountId}/events'].get;
    const names = list.parameters.map((p: any) => `${p.in}:${p.name}`);
    for (const name of ['objectType', 'objectId', 'action', 'element', 'originatorId', 'q', 'from', 'to', 'limit', 'cursor'])
      expect(names).toContain(`query:${name}`);
    expect(list.responses['400'].content['application/problem+json']).toBeDefined();

    const change = document.components.schemas.Change;
    expect(change.required).toEqual(expect.arrayContaining(['changeId', 'objectType', 'objectId', 'action', 'originator']));
    expect(change.properties.objectType.enum).toContain('predefinedContent');
    const batch = document.components.schemas.ChangeBatch;
    expect(batch.properties.changes.maxItems).toBe(1000);

    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        if (operation.security?.length === 0) continue; // public: /healthz, /readyz, /v1/keys
        expect(operation.responses['401'], `${method} ${path}`).toBeDefined();
        // Whatever takes a body can be sent one that does not validate.
        if (operation.requestBody) expect(operation.responses['422'], `${method} ${path}`).toBeDefined();
      }
    }
  });
});
