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

/** Where a request is going: the host it names and the path it asks for. */
export interface RequestTarget {
  /** The hostname, lower case, IPv6 in brackets, without the port. */
  host: string;
  /** The path, e.g. `/api/tasks`. */
  pathname: string;
  /** The query parameters. */
  query: URLSearchParams;
}

/** `name` or `[v6]`, then an optional port; no userinfo, nothing else. */
const AUTHORITY = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/**
 * The target of a request, from the URL Deno built for it: the authority of
 * an absolute-form request line (`GET http://host/path`) when there was one,
 * else the `Host` header (RFC 9112 §3.2.2), so both are checked the same way.
 *
 * @returns The target, or a reason for a 400 when the authority is malformed
 *   (userinfo, a bad or out-of-range port, junk after an IPv6 address).
 */
export function requestTarget(url: string): RequestTarget | string {
  const scheme = /^https?:\/\//i.exec(url);
  if (scheme === null) return "bad request target";
  const rest = url.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  if (authority.includes("@")) return "userinfo is not allowed in the host";
  const match = AUTHORITY.exec(authority);
  if (match === null) return `malformed host: ${JSON.stringify(authority.slice(0, 100))}`;
  if (match[2] !== undefined && Number(match[2]) > 65535) return `bad port: ${match[2]}`;
  let parsed: URL;
  try {
    parsed = new URL(end === -1 ? "/" : rest.slice(end), "http://target.invalid");
  } catch {
    return "bad request target";
  }
  return { host: match[1].toLowerCase(), pathname: parsed.pathname, query: parsed.searchParams };
}

/**
 * Check the raw `Host` header (RFC 9112 §3.2: exactly one, a valid value).
 * Deno's `request.url` cannot be trusted for this: when it cannot represent
 * the header (non-ASCII, empty, spaces) it substitutes `localhost:<port>`.
 *
 * @param host `request.headers.get("host")`.
 * @returns The hostname (lower case, IPv6 in brackets), or a reason for a 400.
 */
export function hostHeader(host: string | null): { host: string } | string {
  if (host === null || host === "") return "missing Host header";
  // A repeated header arrives joined with ", ", which the pattern refuses.
  const match = AUTHORITY.exec(host);
  if (match === null || !/^[\x21-\x7e]+$/.test(host)) {
    return `malformed Host header: ${JSON.stringify(host.slice(0, 100))}`;
  }
  if (match[2] !== undefined && Number(match[2]) > 65535) return `bad port: ${match[2]}`;
  return { host: match[1].toLowerCase() };
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
