// Helpers shared by Node scripts (npm start, benchmarks, end-to-end tests).
export { apiClient, ApiError, type Api, type ApiRequest, type ApiResponse } from './api-client';
export { ensureDevVars, parseDevVars, type DevVars } from './dev-vars';
export { applyLocalMigrations, type MigrationResult } from './migrations';
export { DEFAULT_PERSIST_DIR, DEV_VARS_FILE, LOCAL_DIR, REPO_ROOT, repoRelative } from './paths';
export { startWorker, type RunningWorker, type StartWorkerOptions } from './worker-process';
export { assertPortFree, freePort } from './port';
export { Cleanups, formatMs, onStopSignal, runSteps, type Step } from './steps';
export { waitForHttpOk } from './wait-for';
export { runWrangler, wranglerEnv } from './wrangler';
