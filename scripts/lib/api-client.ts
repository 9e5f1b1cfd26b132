// A small client for the Worker's HTTP API: JSON in, JSON out, problem+json errors thrown
// with their details so a failing script says why.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { path: string; message: string }[] } | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  token?: string;
  body?: unknown;
  /** Statuses besides 2xx that the caller handles itself (e.g. 404, 409). */
  accept?: number[];
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

export type Api = <T = unknown>(path: string, request?: ApiRequest) => Promise<ApiResponse<T>>;

export function apiClient(baseUrl: string): Api {
  return async <T>(path: string, request: ApiRequest = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    const text = await response.text();
    const body = text ? safeJson(text) : undefined;
    if (response.ok || request.accept?.includes(response.status)) return { status: response.status, body: body as T };
    const problem = typeof body === 'object' && body !== null ? (body as ApiError['problem']) : undefined;
    const details = problem?.errors?.slice(0, 5).map((e) => `  ${e.path}: ${e.message}`) ?? [];
    throw new ApiError(
      response.status,
      problem,
      [`${method} ${path} → ${response.status} ${problem?.detail ?? text.slice(0, 300)}`, ...details].join('\n'),
    );
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
