export function MonthEndView(_props: Record<string, unknown>) {
  return <p>MonthEndView</p>;
}
