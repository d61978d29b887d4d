import type { Mode } from '../lib/mode';
import { DomainError } from '../lib/errors';

// Where a webhook may point. A client-chosen URL is fetched by our infrastructure, so anything that reaches
// inside (loopback, private networks, link-local and cloud metadata, CGNAT, IPv6 ULA and IPv4-in-IPv6 forms)
// is refused. The WHATWG URL parser already turns decimal/hex/octal IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1)
// into dotted quads, so the checks below see the address the fetch would use. Names that resolve inside
// (DNS rebinding, or any domain whose records say 10.0.0.1) are stopped by the platform: Workers' fetch does not
// connect to private addresses. The names refused below are only the obvious ones, so that such a URL is a 422
// at once rather than a webhook that fails on every delivery.

export const MAX_URL_LENGTH = 2048;

const IPV4_BLOQUEADAS: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24],
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
];

// Kubernetes services are name.namespace.svc (…svc.cluster.local ends in .local). localtest.me, lvh.me, vcap.me and
// localhost.direct are public names whose every subdomain answers 127.0.0.1 (localhost.direct with a public
// wildcard certificate, so even https works); there are more, which the platform stops.
const NOMBRES_INTERNOS = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan|intranet|svc|localtest\.me|lvh\.me|vcap\.me|localhost\.direct)$/;

// Wildcard DNS that answers with the address written in the name. Their parsers differ and accept a lot: dotted
// (10.0.0.1.nip.io), dashed (10-0-0-1.nip.io), mixed, after a prefix (app-10-0-0-1.sslip.io), 8 hex digits even
// glued to a word (app0a000001.nip.io), IPv6 with dashes (fe80--1.sslip.io). A public address is legitimate (sslip.io
// is how a bare server gets a TLS certificate), so a name is accepted when every reading of it is public, and
// refused when there is none (traefik.me answers 127.0.0.1 then).
const ECO_DE_IP = /(^|\.)(nip\.io|sslip\.io|xip\.io|traefik\.me)$/;

/** Live webhooks go to the web's ports; another port of a public host is some other service. */
const PUERTOS_LIVE = new Set(['', '80', '443', '8443']);

function ipv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const octetos = m.slice(1).map(Number);
  if (octetos.some((o) => o > 255)) return null;
  return octetos.reduce((acc, o) => acc * 256 + o, 0);
}

function ipv4Bloqueada(ip: number): boolean {
  return IPV4_BLOQUEADAS.some(([red, bits]) => {
    const base = ipv4(red)!;
    const tam = 2 ** (32 - bits);
    return ip >= base && ip < base + tam;
  });
}

/** "[2001:db8::1]" → its eight 16-bit groups, or null when it is not an IPv6 literal. */
function ipv6(host: string): number[] | null {
  if (!host.startsWith('[') || !host.endsWith(']')) return null;
  let s = host.slice(1, -1).toLowerCase();
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes two groups.
  const cola = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (cola) {
    const v4 = ipv4(cola[1]!);
    if (v4 === null) return null;
    s = s.slice(0, -cola[1]!.length) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const partes = s.split('::');
  if (partes.length > 2) return null;
  const grupos = (p: string) => (p ? p.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)) : []);
  const izq = grupos(partes[0]!);
  const der = partes.length === 2 ? grupos(partes[1]!) : [];
  const relleno = partes.length === 2 ? 8 - izq.length - der.length : 0;
  const todos = [...izq, ...Array(Math.max(relleno, 0)).fill(0), ...der];
  return todos.length === 8 && todos.every((g) => !Number.isNaN(g)) ? todos : null;
}

function ipv6Bloqueada(g: number[]): boolean {
  const [a, b] = [g[0]!, g[1]!];
  /** Groups [desde, hasta) are all zero. */
  const ceros = (desde: number, hasta: number) => g.slice(desde, hasta).every((x) => x === 0);
  return (
    ceros(0, 6) || // ::, ::1 and IPv4-compatible ::a.b.c.d
    (ceros(0, 5) && g[5] === 0xffff) || // IPv4-mapped ::ffff:a.b.c.d
    (ceros(0, 4) && g[4] === 0xffff && g[5] === 0) || // IPv4-translated ::ffff:0:a.b.c.d
    (a === 0x64 && b === 0xff9b) || // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
    (a === 0x100 && ceros(1, 4)) || // discard-only 100::/64
    (a & 0xfe00) === 0xfc00 || // unique local fc00::/7 (incl. fd00:ec2::254 metadata)
    (a & 0xffc0) === 0xfe80 || // link-local
    (a & 0xffc0) === 0xfec0 || // site-local (deprecated)
    (a & 0xff00) === 0xff00 || // multicast
    (a === 0x2001 && b === 0x0db8) || // documentation
    (a === 0x2001 && b === 0) || // Teredo: tunnels to an embedded IPv4
    a === 0x2002 // 6to4: embeds an IPv4
  );
}

const bloqueada = (d: number | number[]) => (typeof d === 'number' ? ipv4Bloqueada(d) : ipv6Bloqueada(d));

/**
 * The addresses an IP-echo service could read in `nombre` (what precedes its domain): a dotted or dashed quad,
 * and 8 hex digits, starting at every position (so a prefix or a longer digit run hides none), and a dashed
 * IPv6 after every dash or dot.
 */
function direccionesEscritas(nombre: string): (number | number[])[] {
  const dirs: (number | number[])[] = [];
  for (let i = 0; i < nombre.length; i++) {
    const resto = nombre.slice(i);
    const cuarteto = /^(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})/.exec(resto);
    const v4 = cuarteto && ipv4(cuarteto.slice(1).join('.'));
    if (v4 != null) dirs.push(v4);
    const hex = /^[0-9a-f]{8}/.exec(resto);
    if (hex) dirs.push(parseInt(hex[0], 16));
    const v6 = i === 0 || /[.-]/.test(nombre[i - 1]!) ? ipv6(`[${resto.split('.')[0]!.replaceAll('-', ':')}]`) : null;
    if (v6) dirs.push(v6);
  }
  return dirs;
}

/** Why `raw` may not receive webhooks in `mode`, or null when it may. */
export function motivoRechazoUrl(raw: string, mode: Mode, permitirLocal: boolean): string | null {
  if (raw.length > MAX_URL_LENGTH) return `La URL excede ${MAX_URL_LENGTH} caracteres.`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'No es una URL válida.';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Solo se admiten URLs http(s).';
  if (u.username || u.password) return 'La URL no puede llevar usuario ni contraseña.';
  const host = u.hostname.replace(/\.+$/, '');
  if (mode === 'test' && permitirLocal && (host === '127.0.0.1' || host === 'localhost')) return null;
  if (mode === 'live' && u.protocol !== 'https:') return 'En modo live la URL debe ser https.';
  if (mode === 'live' && !PUERTOS_LIVE.has(u.port)) return 'En modo live la URL debe usar el puerto 443, 8443 u 80.';

  const v4 = ipv4(host);
  if (v4 !== null) return ipv4Bloqueada(v4) ? 'La URL apunta a una dirección interna o reservada.' : null;
  const v6 = ipv6(host);
  if (v6) return ipv6Bloqueada(v6) ? 'La URL apunta a una dirección interna o reservada.' : null;
  if (host.startsWith('[')) return 'No es una URL válida.';
  // A numeric last label the parser did not turn into a dotted quad is no hostname we can vouch for.
  if (/(^|\.)(0x[0-9a-f]*|\d+)$/i.test(host)) return 'La URL apunta a una dirección interna o reservada.';
  if (!host.includes('.') || NOMBRES_INTERNOS.test(host)) return 'La URL apunta a un nombre de red interna.';
  const eco = ECO_DE_IP.exec(host);
  if (eco) {
    const dirs = direccionesEscritas(host.slice(0, eco.index));
    if (dirs.length === 0 || dirs.some(bloqueada)) return 'La URL apunta a una dirección interna o reservada.';
  }
  return null;
}

/** The URL as it will be stored and called, or a 422 on `url`. */
export function exigirUrlPermitida(raw: string, mode: Mode, permitirLocal: boolean): string {
  const motivo = motivoRechazoUrl(raw, mode, permitirLocal);
  if (motivo) throw DomainError.validation([{ path: 'url', message: motivo }], 'La URL del webhook no está permitida.');
  return new URL(raw).toString();
}
