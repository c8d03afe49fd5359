/**
 * One message under the header: what just succeeded, or what failed as "CODE: message" (the code is
 * what operations search for; the message is in the reader's language). `useAct` runs an act for a
 * button: busy while it runs, its failure shown, its result returned.
 */
import { Alert } from 'antd';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { errorText } from './format';

interface Flash {
  ok(text: string): void;
  error(err: unknown): void;
  clear(): void;
}

type Message = { kind: 'ok' | 'error'; text: string } | null;
// Two contexts: the acts stay the same object for good (effects may depend on them), the message changes.
const FlashContext = createContext<Flash | null>(null);
const MessageContext = createContext<Message>(null);

/** Fired on window when the API answers 401: the shell forgets the session and shows sign-in. */
export const UNAUTHENTICATED = 'closeDashboard:unauthenticated';

export function FlashProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message>(null);
  const flash = useMemo<Flash>(
    () => ({
      ok: (text) => setMessage({ kind: 'ok', text }),
      error: (err) => {
        setMessage({ kind: 'error', text: errorText(err) });
        // A revoked or expired token: back to sign-in, with the error still shown.
        if ((err as { status?: number })?.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED));
      },
      clear: () => setMessage(null),
    }),
    [],
  );
  return (
    <FlashContext.Provider value={flash}>
      <MessageContext.Provider value={message}>{children}</MessageContext.Provider>
    </FlashContext.Provider>
  );
}

/** Where the message shows: under the top bar, above the view. */
export function FlashMessage() {
  const message = useContext(MessageContext);
  return (
    <div id="flash" aria-live="polite">
      {message?.kind === 'ok' && <Alert className="flash" type="success" showIcon title={<span data-testid="flash-ok">{message.text}</span>} />}
      {message?.kind === 'error' && (
        <Alert className="flash" type="error" showIcon role="alert" title={<span data-testid="flash-error">{message.text}</span>} />
      )}
    </div>
  );
}

export function useFlash(): Flash {
  const flash = useContext(FlashContext);
  if (!flash) throw new Error('useFlash outside FlashProvider');
  return flash;
}

/** `const [busy, run] = useAct()`: `run(() => api.post(…))` answers the result, or undefined when it failed (shown). */
export function useAct(): [boolean, <T>(work: () => Promise<T>) => Promise<T | undefined>] {
  const flash = useFlash();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      try {
        return await work();
      } catch (err) {
        flash.error(err);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [flash],
  );
  return [busy, run];
}
