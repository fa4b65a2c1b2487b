/** Small HTTP helpers for the monitor server. */

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Whether `host` (a hostname, without port) names this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** A JSON response. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** The task id of `/api/tasks/<id>/cancel`, or `null` for any other path. */
export function parseTaskPath(pathname: string): number | null {
  const match = /^\/api\/tasks\/(\d{1,15})\/cancel$/.exec(pathname);
  return match === null ? null : Number(match[1]);
}

/** Compare two tokens in time independent of where they differ. */
export function tokensEqual(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}
