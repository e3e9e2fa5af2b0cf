// The worker's error words, apart from host.ts and input.ts: parts.ts refuses a command whose
// code could not load without importing input.ts (which imports it), and the compare worker
// names errors without bundling the sim host (and its parts) into itself.

/** Input the worker refuses; the session is untouched. */
export class Refused extends Error {
  override name = 'Refused';
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
