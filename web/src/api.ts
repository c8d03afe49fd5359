/**
 * The dashboard's only HTTP code: a bearer token from this browser tab, or the session cookie of a
 * password sign-in (HttpOnly: the browser sends it, no script reads it) with its CSRF token on every
 * unsafe request; errors with the API's code. The JSON API is the only way the dashboard talks to
 * the server.
 */
import { getLanguage } from './i18n';

const TOKEN_KEY = 'closeDashboard.token';
const CSRF_KEY = 'closeDashboard.csrf';
const SAFE_METHODS = ['GET', 'HEAD'];

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  csrf: () => sessionStorage.getItem(CSRF_KEY),
  signedIn: () => Boolean(sessionStorage.getItem(TOKEN_KEY) || sessionStorage.getItem(CSRF_KEY)),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  /** After POST /api/v1/session: the cookie is set; the CSRF token it answered is kept for this tab. */
  signInWithPassword: (csrfToken: string) => sessionStorage.setItem(CSRF_KEY, csrfToken),
  signOut: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(CSRF_KEY);
  },
};

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** path`/api/v1/closes/${id}` with every dynamic segment escaped. */
export function path(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((acc, part, i) => acc + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface SendOptions {
  body?: unknown;
  query?: Query;
  /** A token to try before it is kept (sign-in); null sends none. */
  token?: string | null;
}

/** Answers `{ status, data }`: a start tells 202 (started) from 200 (already running) by it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, typed by each view
export async function send<T = any>(
  method: string,
  url: string,
  { body, query, token = session.token() }: SendOptions = {},
): Promise<{ status: number; data: T }> {
  const target = new URL(url, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') target.searchParams.set(key, String(value));
  }
  // Messages and act labels come back in the reader's language.
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en' };
  if (token) headers.authorization = `Bearer ${token}`;
  else if (session.csrf() && !SAFE_METHODS.includes(method)) headers['x-csrf-token'] = session.csrf()!;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(
      'API_UNREACHABLE',
      getLanguage() === 'zh' ? '无法连接服务器，请检查网络后重试。' : `The API cannot be reached (${(err as Error).message}).`,
      0,
    );
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data?.error;
    throw error?.code
      ? new ApiError(error.code, error.message ?? '', response.status)
      : new ApiError(`HTTP_${response.status}`, text.slice(0, 200) || response.statusText, response.status);
  }
  return { status: response.status, data };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, typed by each view
export const request = async <T = any>(method: string, url: string, options?: SendOptions): Promise<T> => (await send<T>(method, url, options)).data;

export const api = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get: <T = any>(url: string, query?: Query) => request<T>('GET', url, { query }),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  post: <T = any>(url: string, body: unknown = {}) => request<T>('POST', url, { body }),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  delete: <T = any>(url: string) => request<T>('DELETE', url),
};
