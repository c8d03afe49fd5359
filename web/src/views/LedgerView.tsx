export function LedgerView(_props: Record<string, unknown>) {
  return <p>LedgerView</p>;
}
