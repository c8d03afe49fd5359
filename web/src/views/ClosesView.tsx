export function ClosesView(_props: Record<string, unknown>) {
  return <p>ClosesView</p>;
}
