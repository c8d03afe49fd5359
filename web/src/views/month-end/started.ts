/**
 * The run this browser just started. Starting moves to the run's own page, and the shell clears the
 * message of the last view on every move; so the run's page says "started" itself, once its first
 * load answers (after the shell's clearing), and only for the run that was just started here.
 */
let justStarted: string | null = null;

export const markStarted = (id: string): void => {
  justStarted = id;
};

/** True once for the run just started (then forgotten). */
export function takeStarted(id: string): boolean {
  if (justStarted !== id) return false;
  justStarted = null;
  return true;
}
