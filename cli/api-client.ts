import { CliError, ExitCode, type Connection } from './args';

export interface ApiResponse<T> {
  status: number;
  body: T;
}

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  /** Answer the body's bytes instead of parsed JSON. */
  raw?: boolean;
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T>(path: string, query?: Record<string, string>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** The body as bytes (a CSV or XLSX file); errors arrive as JSON like any other call's. */
  download(path: string, query?: Record<string, string>): Promise<Buffer>;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** `/api/v1/closes/${id}` with every dynamic segment escaped. */
export function apiPath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce((path, part, i) => path + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/**
 * The only place the CLI speaks HTTP. API errors become CliError with the API's own code (exit 5);
 * a server that cannot be reached or does not answer becomes API_UNREACHABLE (exit 6).
 */
export function createApiClient(connection: Connection, fetchImpl: typeof fetch = fetch): ApiClient {
  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> => {
    const url = new URL(connection.url + path);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: options.raw ? '*/*' : 'application/json' };
    if (connection.token) headers.authorization = `Bearer ${connection.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new CliError('API_UNREACHABLE', `cannot reach ${connection.url} (${networkReason(err)}); check --url or CLOSE_API_URL`, ExitCode.UNREACHABLE);
    }
    if (options.raw && response.ok) return { status: response.status, body: Buffer.from(await response.arrayBuffer()) as T };
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw apiError(response.status, body, text);
    return { status: response.status, body: body as T };
  };

  return {
    request,
    get: async (path, query) => (await request<never>('GET', path, { query })).body,
    post: async (path, body) => (await request<never>('POST', path, { body: body ?? {} })).body,
    delete: async (path) => (await request<never>('DELETE', path)).body,
    download: async (path, query) => (await request<Buffer>('GET', path, { query, raw: true })).body,
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface Issue {
  path?: unknown;
  message?: unknown;
}

/**
 * The API's message with its details written out: a VALIDATION_FAILED says "see details for each
 * field", which a terminal user cannot do, so each field and what is wrong with it is appended.
 */
export function apiErrorMessage(message: string, details: unknown): string {
  const issues = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return message;
  const said = (issues as Issue[]).map((i) => {
    const where = typeof i.path === 'string' && i.path !== '' ? i.path : 'request';
    return `${where}: ${typeof i.message === 'string' ? i.message : 'not valid'}`;
  });
  return `${message.replace(/;?\s*see details[^.]*\.?$/i, '')}: ${said.join('; ')}`;
}

function apiError(status: number, body: unknown, text: string): CliError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    return new CliError(error.code, apiErrorMessage(message, error.details), ExitCode.API_ERROR);
  }
  const snippet = text.trim().slice(0, 120) || 'no body';
  return new CliError(`HTTP_${status}`, `the API answered ${status} without an error code: ${snippet}`, ExitCode.API_ERROR);
}

function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${REQUEST_TIMEOUT_MS / 1000}s`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
