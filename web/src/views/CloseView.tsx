export function CloseView(_props: Record<string, unknown>) {
  return <p>CloseView</p>;
}
