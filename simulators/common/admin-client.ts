import type { z } from 'zod';
import type { faultSettingsSchema } from './faults';

export type FaultSettingsInput = z.input<typeof faultSettingsSchema>;

/**
 * Drives a running stand-in's /admin API from tests, benchmarks and chaos runs, so none of them
 * hand-writes these requests.
 */
export function standInAdmin(baseUrl: string) {
  const request = async <T = unknown>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Stand-in admin ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };

  return {
    request,
    setFaults: (settings: FaultSettingsInput) => request<FaultSettingsInput & { outageRemainingMs: number }>('PUT', '/faults', settings),
    faults: () => request<FaultSettingsInput & { outageRemainingMs: number }>('GET', '/faults'),
    stats: <T = Record<string, unknown>>() => request<T>('GET', '/stats'),
    reset: () => request('POST', '/reset'),
  };
}
