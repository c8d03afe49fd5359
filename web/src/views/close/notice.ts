/**
 * A message for the next view: the shell clears the flash when the route changes, so what a start
 * says ("close started") is handed over and shown once the close's page has loaded.
 */
let pending: string | null = null;

export const noticeForNextView = (text: string): void => {
  pending = text;
};

export function takeNotice(): string | null {
  const text = pending;
  pending = null;
  return text;
}
