/** Most characters of outside input an error message repeats: an error's cost never grows with the input. */
const ECHO_CHARS = 40;

/** Outside input as an error message shows it: short values as JSON, long strings cut, containers by size. */
export function echo(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > ECHO_CHARS ? `${JSON.stringify(value.slice(0, ECHO_CHARS))}... (${value.length} characters)` : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}
