import { z } from 'zod';
import { Problem } from '../http/problem';
import { jsonContent, problems, route } from '../http/route';
import { readinessProblems } from '../http/settings';

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
  route(
    'get',
    '/readyz',
    {
      operationId: 'ready',
      summary: 'Readiness check: every setting present and well-formed, the database migrated',
      description:
        'Answers 200 when the Worker can serve every route. Otherwise 503 `…/problems/misconfigured` with one error per problem: ' +
        '`env.OPERATOR_TOKEN` or `env.CURSOR_SECRET` missing, `env.CHECKPOINT_PRIVATE_KEY` missing or malformed ' +
        '(not an Ed25519 private JWK whose x matches d), `env.DB` not answering or not migrated. Names settings, never their values.',
      tags: ['meta'],
      security: [],
      responses: {
        '200': { description: 'Ready.', content: jsonContent(z.object({ ready: z.literal(true) })) },
        ...problems(503),
      },
    },
    async (_request, env) => {
      const found = await readinessProblems(env);
      if (found.length)
        throw new Problem(
          503,
          'misconfigured',
          `Not ready: ${found.map((e) => `${e.path.replace(/^env\./, '')} ${e.message}`).join('; ')}. See errors.`,
          found,
        );
      return { ready: true };
    },
  ),
];
