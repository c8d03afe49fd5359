/**
 * The dashboard's only HTTP code: a bearer token from this browser tab, or the session cookie of a
 * password sign-in (HttpOnly: the browser sends it, no script reads it) with its CSRF token on every
 * unsafe request; errors with the API's code.
 */
import { getLanguage } from './i18n.js';
const TOKEN_KEY = 'closeDashboard.token';
const CSRF_KEY = 'closeDashboard.csrf';
const SAFE_METHODS = ['GET', 'HEAD'];

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  csrf: () => sessionStorage.getItem(CSRF_KEY),
  signedIn: () => Boolean(sessionStorage.getItem(TOKEN_KEY) || sessionStorage.getItem(CSRF_KEY)),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  /** After POST /api/v1/session: the cookie is set; the CSRF token it answered is kept for this tab. */
  signInWithPassword: (csrfToken) => sessionStorage.setItem(CSRF_KEY, csrfToken),
  signOut: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(CSRF_KEY);
  },
};

export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
  toString() {
    return `${this.code}: ${this.message}`;
  }
}

/** `/api/v1/closes/${id}` with every dynamic segment escaped. */
export function path(strings, ...values) {
  return strings.reduce((acc, part, i) => acc + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/** Answers `{ status, data }`: a start tells 202 (started) from 200 (already running) by it. */
export async function send(method, url, { body, query, token = session.token() } = {}) {
  const target = new URL(url, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') target.searchParams.set(key, value);
  }
  // Messages and act labels come back in the reader's language.
  const headers = { accept: 'application/json', 'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en' };
  if (token) headers.authorization = `Bearer ${token}`;
  else if (session.csrf() && !SAFE_METHODS.includes(method)) headers['x-csrf-token'] = session.csrf();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError('API_UNREACHABLE', `The API cannot be reached (${err.message}).`, 0);
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

export const request = async (method, url, options) => (await send(method, url, options)).data;

export const api = {
  get: (url, query) => request('GET', url, { query }),
  post: (url, body = {}) => request('POST', url, { body }),
  delete: (url) => request('DELETE', url),
};
