/**
 * Who may use the console's development sign-in. It hands out a token for anyone in the directory, admins
 * included, to whoever asks; its Origin check stops pages on other sites, not a script. So it answers:
 * - only requests addressed to the public URL's host: a page on another name that resolves to this API (DNS
 *   rebinding) sends its own name as Host and learns nothing, not even the directory;
 * - only requests from this machine (a loopback peer, not relayed by a proxy), unless the deployment opted
 *   in to the network (WARDEN_CONSOLE_DEV_SIGNIN=network), knowing anyone who reaches the API then signs in
 *   as anyone.
 */
import net from 'node:net';

/** Where development sign-in answers from: this machine only, or any peer that reaches the API. */
export type DevSignInReach = 'loopback' | 'network';

export interface DevSignInRequest {
  /** The TCP peer (`req.socket.remoteAddress`). */
  remoteAddress: string | undefined;
  /** The Host header as sent. */
  host: string | undefined;
  /** The request carries Forwarded or X-Forwarded-For: a proxy relayed it from somewhere else. */
  relayed: boolean;
}

export interface DevSignInRefusal {
  status: number;
  code: 'forbidden_host' | 'dev_sign_in_local_only';
  message: string;
}

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.x (a dual-stack socket's view of an IPv4 loopback peer). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const ipv4 = mapped ? mapped[1]! : address;
  if (net.isIPv4(ipv4)) return ipv4.startsWith('127.');
  // Any spelling of ::1 (0:0:0:0:0:0:0:1, …), by the URL parser's canonical form.
  return net.isIPv6(address) && new URL(`http://[${address}]/`).hostname === '[::1]';
}

/** The Host header in the URL parser's form (lower case, no default port); null when it is no host. */
function canonicalHost(host: string | undefined, protocol: string): string | null {
  if (!host || !/^[A-Za-z0-9.:[\]-]{1,300}$/.test(host)) return null;
  const url = `${protocol}//${host}/`;
  return URL.canParse(url) ? new URL(url).host : null;
}

/** Why this request may not use development sign-in, or null when it may. */
export function devSignInRefusal(
  request: DevSignInRequest,
  settings: { publicUrl: string; reach: DevSignInReach },
): DevSignInRefusal | null {
  const publicUrl = new URL(settings.publicUrl);
  if (canonicalHost(request.host, publicUrl.protocol) !== publicUrl.host)
    return {
      status: 403,
      code: 'forbidden_host',
      message: `Development sign-in answers only at ${publicUrl.host} (WARDEN_PUBLIC_URL): open the console at ${publicUrl.origin}/console.`,
    };
  if (settings.reach === 'loopback' && (request.relayed || !isLoopbackAddress(request.remoteAddress)))
    return {
      status: 403,
      code: 'dev_sign_in_local_only',
      message:
        'Development sign-in answers only requests from this machine, not relayed by a proxy. Open the console on ' +
        'the machine Warden runs on, or sign in with an OpenID provider (WARDEN_OIDC_ISSUER).',
    };
  return null;
}
