// The deployment's settings (Worker secrets): what needs one answers 503 naming it when it
// is missing or malformed, instead of a generic 500, and GET /readyz lists every such
// setting. Only a setting's name is ever said or logged, never its value.
import { signingKey, type SigningKey } from '../domain/checkpoint-signing';
import { credentialsKey, type CredentialsKey } from '../domain/credentials';
import { MisconfiguredSetting } from '../domain/errors';
import { latestMigrationApplied, LATEST_MIGRATION } from '../store/migrations';
import { misconfigured, type Problem, type ProblemFieldError } from './problem';

/** The checkpoint signing key, or a 503 naming the setting. */
export async function requireSigningKey(env: Env): Promise<SigningKey> {
  if (!env.CHECKPOINT_PRIVATE_KEY) throw misconfigured('CHECKPOINT_PRIVATE_KEY', 'missing');
  try {
    return await signingKey(env.CHECKPOINT_PRIVATE_KEY);
  } catch {
    // The cause is not logged: a JSON parse error quotes the secret's text.
    throw misconfigured('CHECKPOINT_PRIVATE_KEY', 'malformed');
  }
}

/** The key that seals source credentials (CREDENTIALS_KEY), or a 503 naming the setting. */
export async function requireCredentialsKey(env: Env): Promise<CredentialsKey> {
  try {
    return await credentialsKey(env.CREDENTIALS_KEY);
  } catch (error) {
    if (error instanceof MisconfiguredSetting) throw misconfigured(error.setting, error.state);
    throw error;
  }
}

/** Everything that keeps the Worker from serving every route: each missing or malformed
 *  setting, and a database that does not answer or lacks the latest migration. */
export async function readinessProblems(env: Env): Promise<ProblemFieldError[]> {
  const found: ProblemFieldError[] = [];
  if (!env.OPERATOR_TOKEN) found.push({ path: 'env.OPERATOR_TOKEN', message: 'missing' });
  if (!env.CURSOR_SECRET) found.push({ path: 'env.CURSOR_SECRET', message: 'missing' });
  try {
    await requireSigningKey(env);
  } catch (problem) {
    found.push(...((problem as Problem).errors ?? []));
  }
  try {
    await requireCredentialsKey(env);
  } catch (problem) {
    found.push(...((problem as Problem).errors ?? []));
  }
  try {
    if (!(await latestMigrationApplied(env.DB)))
      found.push({ path: 'env.DB', message: `the D1 database lacks migration ${LATEST_MIGRATION}: run "wrangler d1 migrations apply DB"` });
  } catch {
    found.push({ path: 'env.DB', message: 'the D1 database does not answer, or its migrations are not applied' });
  }
  return found;
}
