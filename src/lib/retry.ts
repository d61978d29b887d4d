// The one retry policy of the queue jobs: 10 s, 20 s, 40 s, … capped at 15 min. The first delivery is
// attempt 1; what failed before it (attempt 0) waits the first step too.
const PRIMERA_ESPERA_S = 10;
const ESPERA_MAXIMA_S = 15 * 60;

export function backoffSeconds(attempt: number): number {
  return Math.min(PRIMERA_ESPERA_S * 2 ** Math.max(0, attempt - 1), ESPERA_MAXIMA_S);
}
