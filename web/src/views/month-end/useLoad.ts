import { useCallback, useEffect, useState } from 'react';
import { useInterval } from '../../router';

export interface Loaded<T> {
  /** The latest answer, kept while the next one is asked. */
  value: T | undefined;
  /** The latest failure (cleared by the next answer). */
  error: unknown;
  /** Asks again now (after an act, or a change elsewhere on the page). */
  reload: () => void;
}

/**
 * What `fetch` answers: asked at once and whenever `fetch` changes (a new filter), again on
 * `reload()` or a new `askAgainOn` (a change elsewhere on the page), and every `everyMs` while
 * that is set (live refresh; it may depend on the answer read). Only the latest question's answer
 * is kept: a refresh begun before a new filter, or answered after the view was left, is dropped.
 * A null `fetch` asks nothing.
 */
export function useLoad<T>(
  fetch: (() => Promise<T>) | null,
  everyMs: number | null | ((value: T | undefined) => number | null) = null,
  askAgainOn?: unknown,
): Loaded<T> {
  const [state, setState] = useState<{ value?: T; error?: unknown }>({});
  const [asked, setAsked] = useState(0);
  const reload = useCallback(() => setAsked((n) => n + 1), []);

  useEffect(() => {
    if (!fetch) return;
    let latest = true;
    fetch().then(
      (value) => latest && setState({ value }),
      (error: unknown) => latest && setState((s) => ({ value: s.value, error })),
    );
    return () => {
      latest = false;
    };
  }, [fetch, asked, askAgainOn]);
  // How often may depend on what was read (a run is followed only while it runs).
  const ms = typeof everyMs === 'function' ? everyMs(state.value) : everyMs;
  useInterval(reload, fetch ? ms : null);

  return { value: state.value, error: state.error, reload };
}
