// A local stand-in for SW Sapien's REST API on 127.0.0.1. Its answers are the documented bodies of
// test/fixtures/pac/sw/ (each names its source), filled with the values of a real stamp: TimbreFiscalDigital
// 1.1 signed with the sandbox PAC fixture key, so SelloSAT verifies with that certificate. Like SW it
// remembers each customid and each Sello, so a second submission gets the duplicate answer, and it decrypts
// the .key of CSD requests with the password sent, as SW must.
import { createPrivateKey, createPublicKey, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { attr, cadenaOriginalTfd, fechaLocal, parseXml, timbrarCfdi } from '../../src/cfdi';

const CARPETA = path.resolve(__dirname, '../fixtures/pac/sw');

/** A documented SW answer body (without its `_fuente`). */
export function fixtureSw(nombre: string): Record<string, unknown> {
  const { _fuente, ...cuerpo } = JSON.parse(readFileSync(path.join(CARPETA, `${nombre}.json`), 'utf8')) as Record<string, unknown>;
  return cuerpo;
}
const PAGINA_404 = readFileSync(path.join(CARPETA, '404.html'), 'utf8');

/** What the next API request gets instead of the normal answer; consumed in order. */
export type Comportamiento =
  /** answer this status and body (a fixture's name, or a body), without doing anything */
  | { tipo: 'http'; status: number; cuerpo?: unknown; fixture?: string }
  /** never answer (the client must time out) */
  | { tipo: 'colgar' }
  /** stamp (recorded), then never answer */
  | { tipo: 'timbrarYColgar' }
  /** stamp (recorded), then drop the connection without answering */
  | { tipo: 'timbrarYCortar' };

/** How the duplicate of a stamp is answered: the fixture the 307 (same XML) is built from. */
export type Forma307 = '307-timbre-previo-v4' | '307-timbre-previo-v2' | '307-sin-datos' | '307-cfdi-en-messagedetail' | '307-data-texto';

export interface Solicitud {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** the `xml` field of a multipart stamp request */
  xml?: string;
  /** the status answered (undefined when the request was left hanging or cut) */
  status?: number;
}

export interface Timbrado {
  uuid: string;
  sello: string;
  rfcEmisor: string;
  cfdi: string;
  datos: Record<string, string>;
  estado: 'Vigente' | 'Cancelado' | 'En proceso';
}

export interface OpcionesFake {
  user: string;
  password: string;
  /** SAT-style sandbox key and its NoCertificado */
  llave: CryptoKey;
  noCertificadoSAT: string;
  /** accepted without authentication, never expires (SW's "token infinito") */
  tokenInfinito?: string;
  tokenTtlSeg?: number;
  /** HTTP status of duplicate answers (the body is what matters) */
  status307?: number;
  ahora?: () => number;
}

const RFC_PROV_CERTIF = 'AAA010101AAA'; // fictitious: this fake is not a PAC

const json = (res: ServerResponse, status: number, cuerpo: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(cuerpo));
};

const error = (message: string, messageDetail: string | null = null) => ({ message, messageDetail, data: null, status: 'error' });

/** A fixture's `data` with its keys filled from `valores` (documented keys, real values). */
function llenar(fixture: string, valores: Record<string, unknown>): Record<string, unknown> {
  const cuerpo = fixtureSw(fixture);
  const data = cuerpo.data;
  if (data && typeof data === 'object') cuerpo.data = Object.fromEntries(Object.keys(data).map((k) => [k, valores[k] ?? '']));
  return cuerpo;
}

/** FechaTimbrado is the SAT's local time in central Mexico, without offset. */
const fechaMexico = (ms: number) => fechaLocal(new Date(ms), 'America/Mexico_City');

export class FakeSwSapien {
  readonly solicitudes: Solicitud[] = [];
  /** stamps by the CFDI's Sello */
  readonly timbres = new Map<string, Timbrado>();
  /** the Sello stamped under each customid */
  readonly customids = new Map<string, string>();
  /** cancellations awaiting each receptor's answer (SW's /pendings), by RFC */
  readonly pendientes = new Map<string, string[]>();
  forma307: Forma307 = '307-timbre-previo-v4';
  /** the datawarehouse has the XML of every stamp (SW's may lag: "intente más tarde") */
  almacenDisponible = true;
  /** a cancellation request leaves the CFDI awaiting the receptor (SAT "En proceso") */
  requiereAceptacion = false;
  autenticaciones = 0;
  private readonly tokens = new Map<string, number>();
  private readonly guion: Comportamiento[] = [];
  private readonly ahora: () => number;
  private server!: Server;
  url = '';

  private constructor(private readonly opts: OpcionesFake) {
    this.ahora = opts.ahora ?? Date.now;
  }

  static async iniciar(opts: OpcionesFake): Promise<FakeSwSapien> {
    const fake = new FakeSwSapien(opts);
    fake.server = createServer((req, res) => {
      fake.atender(req, res).catch((e: Error) => {
        if (!res.headersSent) json(res, 500, error('CO1000 - Error No Controlado.', e.message));
      });
    });
    await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The next API requests get these behaviours, in order; after them, normal answers. */
  siguiente(...c: Comportamiento[]): void {
    this.guion.push(...c);
  }

  /** SW forgets every temporary token (as when they expire): the next call with one gets 401. */
  expirarTokens(): void {
    this.tokens.clear();
  }

  get timbresEmitidos(): number {
    return this.timbres.size;
  }

  porUuid(uuid: string): Timbrado | undefined {
    for (const t of this.timbres.values()) if (t.uuid === uuid.toUpperCase()) return t;
    return undefined;
  }

  async cerrar(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private async atender(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const cuerpo = Buffer.concat(chunks);
    const ruta = new URL(req.url ?? '/', this.url).pathname;
    const s: Solicitud = { method: req.method ?? '', path: ruta, headers: req.headers, body: cuerpo.toString('utf8') };
    this.solicitudes.push(s);
    res.on('finish', () => {
      s.status = res.statusCode;
    });
    const en = (metodo: string, patron: RegExp) => (req.method === metodo ? patron.exec(ruta) : null);
    if (en('POST', /^\/v2\/security\/authenticate$/)) return this.autenticar(s, res);
    const descarga = en('GET', /^\/xml\/([^/]+)$/);
    if (descarga) return this.descargar(res, descarga[1]);
    const timbrado = en('POST', /^\/v4\/cfdi33\/stamp\/v4$/);
    const almacen = en('GET', /^\/datawarehouse\/v1\/live\/([^/]+)$/);
    const cancelacion = en('POST', /^\/cfdi33\/cancel\/csd$/);
    const pendientes = en('GET', /^\/pendings\/([^/]+)$/);
    const respuesta = en('POST', /^\/acceptreject\/csd$/);
    if (!timbrado && !almacen && !cancelacion && !pendientes && !respuesta) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end(PAGINA_404);
      return;
    }
    if (!this.autorizado(req)) return json(res, 401, error('AU4101 - El token proporcionado viene vacio o es inválido.'));

    const c = this.guion.shift();
    if (c?.tipo === 'http') return json(res, c.status, c.fixture ? fixtureSw(c.fixture) : (c.cuerpo ?? error(`${c.status}`)));
    if (c?.tipo === 'colgar') return;
    if (almacen) return this.almacen(res, almacen[1]);
    if (cancelacion) return this.cancelar(res, JSON.parse(s.body));
    if (pendientes) return json(res, ...this.listarPendientes(decodeURIComponent(pendientes[1])));
    if (respuesta) return this.responder(res, JSON.parse(s.body));

    const ct = req.headers['content-type'] ?? '';
    if (!ct.startsWith('multipart/form-data')) return json(res, 400, error('Content-Type inválido', 'Se espera multipart/form-data'));
    const xml: unknown = (await new Response(cuerpo, { headers: { 'content-type': ct } }).formData()).get('xml');
    s.xml = xml instanceof Blob ? await xml.text() : typeof xml === 'string' ? xml : undefined;
    const customid = typeof req.headers.customid === 'string' ? req.headers.customid : undefined;
    const resultado = await this.timbrar(s.xml ?? '', customid);
    if (c?.tipo === 'timbrarYColgar') return;
    if (c?.tipo === 'timbrarYCortar') {
      req.socket.destroy();
      return;
    }
    json(res, resultado.status, resultado.cuerpo);
  }

  private autenticar(s: Solicitud, res: ServerResponse): void {
    let creds: { user?: string; password?: string } = {};
    try {
      creds = JSON.parse(s.body);
    } catch {
      // an unreadable body is just a failed authentication
    }
    if (creds.user !== this.opts.user || creds.password !== this.opts.password) return json(res, 400, fixtureSw('au2000'));
    this.autenticaciones++;
    const token = `tok.${randomUUID()}`;
    const expiraSeg = Math.floor(this.ahora() / 1000) + (this.opts.tokenTtlSeg ?? 7200);
    this.tokens.set(token, expiraSeg * 1000);
    json(res, 200, llenar('autenticacion', { token, expires_in: expiraSeg, tokeny_type: 'Bearer' }));
  }

  private autorizado(req: IncomingMessage): boolean {
    const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    if (this.opts.tokenInfinito && m[1] === this.opts.tokenInfinito) return true;
    const expira = this.tokens.get(m[1]);
    return expira !== undefined && this.ahora() < expira;
  }

  private async timbrar(xml: string, customid: string | undefined): Promise<{ status: number; cuerpo: unknown }> {
    let comprobante;
    try {
      comprobante = parseXml(xml);
    } catch (e) {
      return { status: 400, cuerpo: error('301 - La estructura del comprobante es incorrecta.', (e as Error).message) };
    }
    const sello = attr(comprobante, 'Sello');
    if (!sello) return { status: 400, cuerpo: error('302 - Sello mal formado o inválido.') };
    const status307 = this.opts.status307 ?? 400;
    const previo = this.timbres.get(sello);
    if (previo) return { status: status307, cuerpo: this.duplicado(previo) };
    const selloDelCustomid = customid && this.customids.get(customid);
    if (selloDelCustomid) {
      const delCustomid = this.timbres.get(selloDelCustomid)!;
      return { status: status307, cuerpo: llenar('cfdi3307-customid-duplicado', { tfd: delCustomid.datos.tfd }) };
    }

    const uuid = randomUUID();
    const { xml: cfdi, timbre } = await timbrarCfdi(xml, {
      uuid,
      fechaTimbrado: fechaMexico(this.ahora()),
      rfcProvCertif: RFC_PROV_CERTIF,
      noCertificadoSAT: this.opts.noCertificadoSAT,
      llave: this.opts.llave,
    });
    const emisor = comprobante.children.find((c) => typeof c !== 'string' && c.local === 'Emisor');
    const datos = {
      cfdi,
      tfd: /<tfd:TimbreFiscalDigital[^>]*\/>/.exec(cfdi)?.[0] ?? '',
      cadenaOriginalSAT: cadenaOriginalTfd(cfdi),
      noCertificadoSAT: timbre.noCertificadoSAT,
      noCertificadoCFDI: attr(comprobante, 'NoCertificado') ?? '',
      uuid, // lower case, as in SW's published example; the XML carries it upper case
      selloSAT: timbre.selloSAT,
      selloCFDI: sello,
      fechaTimbrado: timbre.fechaTimbrado,
      qrCode: '', // SW sends a PNG of the verification QR; nothing here reads it
    };
    this.timbres.set(sello, {
      uuid: timbre.uuid,
      sello,
      rfcEmisor: (emisor && typeof emisor !== 'string' && attr(emisor, 'Rfc')) || '',
      cfdi,
      datos,
      estado: 'Vigente',
    });
    if (customid) this.customids.set(customid, sello);
    return { status: 200, cuerpo: llenar('timbrado-v4', datos) };
  }

  /** The 307 of the same XML, in the shape chosen. */
  private duplicado(previo: Timbrado): unknown {
    const cuerpo = llenar(this.forma307, previo.datos);
    if (this.forma307 === '307-cfdi-en-messagedetail') cuerpo.messageDetail = previo.cfdi;
    if (this.forma307 === '307-data-texto') cuerpo.data = previo.cfdi;
    return cuerpo;
  }

  private almacen(res: ServerResponse, uuid: string): void {
    const t = this.almacenDisponible ? this.porUuid(uuid) : undefined;
    const cuerpo = fixtureSw('datawarehouse');
    const data = cuerpo.data as { records: Record<string, unknown>[] };
    data.records = t ? data.records.map((r) => ({ ...r, uuid: t.uuid.toLowerCase(), urlXml: `${this.url}/xml/${t.uuid}` })) : [];
    json(res, 200, cuerpo);
  }

  /** The download URL the datawarehouse hands out (no token, as sw-sdk-dotnet's DowloadFile fetches it). */
  private descargar(res: ServerResponse, uuid: string): void {
    const t = this.porUuid(uuid);
    res.writeHead(t ? 200 : 404, { 'Content-Type': 'application/xml' });
    res.end(t?.cfdi ?? '');
  }

  /** The CSD of a JSON request, as SW must read it: the .key decrypted with the password, matching the .cer. */
  private csdValido(b: { b64Cer?: string; b64Key?: string; password?: string }): boolean {
    try {
      const llave = createPrivateKey({ key: Buffer.from(b.b64Key ?? '', 'base64'), format: 'der', type: 'pkcs8', passphrase: b.password ?? '' });
      const cert = new X509Certificate(Buffer.from(b.b64Cer ?? '', 'base64'));
      const exportar = (k: ReturnType<typeof createPublicKey>) => k.export({ format: 'der', type: 'spki' }).toString('base64');
      return exportar(createPublicKey(llave)) === exportar(cert.publicKey);
    } catch {
      return false;
    }
  }

  private cancelar(res: ServerResponse, b: { uuid?: string; rfc?: string; motivo?: string; folioSustitucion?: string; b64Cer?: string; b64Key?: string; password?: string }): void {
    if (!b.uuid || !b.rfc || !b.motivo || !this.csdValido(b)) return json(res, 400, fixtureSw('cancelacion-parametros-incompletos'));
    const uuid = b.uuid.toUpperCase();
    const t = this.porUuid(uuid);
    // the SAT's EstatusUUID: 201 received, 202 already cancelled, 203 not the issuer's, 205 unknown
    const estatus = !t ? '205' : t.rfcEmisor !== b.rfc ? '203' : t.estado === 'Cancelado' ? '202' : '201';
    if (t && estatus === '201') t.estado = this.requiereAceptacion ? 'En proceso' : 'Cancelado';
    const acuse =
      '<?xml version="1.0" encoding="utf-8"?>' +
      `<Acuse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Fecha="${fechaMexico(this.ahora())}" RfcEmisor="${b.rfc}">` +
      `<Folios xmlns="http://cancelacfd.sat.gob.mx"><UUID>${uuid}</UUID><EstatusUUID>${estatus}</EstatusUUID></Folios></Acuse>`;
    json(res, 200, llenar('cancelacion', { acuse, uuid: { [uuid]: estatus } }));
  }

  private listarPendientes(rfc: string): [number, unknown] {
    const uuids = this.pendientes.get(rfc) ?? [];
    if (!uuids.length) return [400, fixtureSw('pendientes-ninguna')];
    const cuerpo = fixtureSw('pendientes');
    cuerpo.data = { ...(cuerpo.data as object), UUID: uuids };
    return [200, cuerpo];
  }

  private responder(res: ServerResponse, b: { rfc?: string; uuids?: { uuid: string; action: string }[]; b64Cer?: string; b64Key?: string; password?: string }): void {
    if (!b.rfc || !b.uuids?.length || !this.csdValido(b)) return json(res, 400, fixtureSw('cancelacion-parametros-incompletos'));
    const pendientes = this.pendientes.get(b.rfc) ?? [];
    // the SAT's 1000: answer received; 1001: no request awaiting an answer for that UUID
    const folios = b.uuids.map(({ uuid, action }) => {
      const i = pendientes.findIndex((p) => p.toUpperCase() === uuid.toUpperCase());
      if (i >= 0) pendientes.splice(i, 1);
      return { uuid, estatusUUID: i >= 0 ? '1000' : '1001', respuesta: action };
    });
    const acuse = `<?xml version="1.0" encoding="utf-8"?><AcuseAceptacionRechazo RfcReceptor="${b.rfc}" CodEstatus="1000" Fecha="${fechaMexico(this.ahora())}"/>`;
    json(res, 200, llenar('aceptacion-rechazo', { folios, acuse }));
  }
}
