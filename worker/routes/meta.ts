import { z } from 'zod';
import { jsonContent, route } from '../http/route';

export const metaRoutes = [
  route(
    'get',
    '/healthz',
    {
      operationId: 'health',
      summary: 'Liveness check',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: 'The Worker answers.', content: jsonContent(z.object({ ok: z.literal(true) })) } },
    },
    () => ({ ok: true }),
  ),
];
