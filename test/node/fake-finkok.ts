// A local stand-in for Finkok's SOAP services on 127.0.0.1: stamp/stamped (/servicios/soap/stamp) and
// cancel_signature/get_pending/accept_reject_signature (/servicios/soap/cancel), answering with Finkok's
// envelopes (test/fixtures/pac/finkok, sources in its README). It stamps for real: TimbreFiscalDigital 1.1
// signed with the sandbox PAC fixture key. Like Finkok it remembers every stamp by the CFDI's Sello, so a
// second `stamp` gets Incidencia 307 and `stamped` finds it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { attr, escapeAttr, fechaLocal, parseXml, timbrarCfdi } from '../../src/cfdi';
import { buscarLocal, campo, leerSoap, textoDe } from '../../src/pac/soap';

const plantillas = path.resolve(__dirname, '../fixtures/pac/finkok');
const plantilla = (f: string) => readFileSync(path.join(plantillas, f), 'utf8');
const llenar = (t: string, v: Record<string, string>) => t.replace(/\{\{(\w+)\}\}/g, (_, k: string) => v[k] ?? '');

export const NS_STAMP = 'http://facturacion.finkok.com/stamp';
export const NS_CANCEL = 'http://facturacion.finkok.com/cancel';
const RFC_PROV_CERTIF = 'AAA010101AAA'; // fictitious: this fake is not a PAC

/** What the next request gets instead of the normal answer; consumed in order. */
export type Comportamiento =
  /** answer this status and body, without processing */
  | { tipo: 'http'; status: number; cuerpo?: string }
  /** stamp/stamped: an Incidencia in the result, without processing (account faults, SAT rejections) */
  | { tipo: 'incidencia'; codigo: string; mensaje: string }
  /** a SOAP Fault (HTTP 500), as Finkok's server answers an internal error */
  | { tipo: 'fault'; mensaje: string }
  /** never answer (the client must time out) */
  | { tipo: 'colgar' }
  /** process (a stamp is recorded), then never answer */
  | { tipo: 'procesarYColgar' }
  /** a duplicate's 307 without the earlier stamp, as Finkok sometimes answers */
  | { tipo: '307SinXml' }
  /** cancel_signature: this EstatusUUID for the next request */
  | { tipo: 'estatusUUID'; estatus: string; estatusCancelacion?: string };

export interface Solicitud {
  path: string;
  soapAction?: string;
  metodo: string;
  /** the method's parameters, `xml` decoded from base64 */
  params: Record<string, string>;
  status?: number;
}

export interface Timbrado {
  uuid: string;
  rfcEmisor: string;
  xml: string;
  selloSAT: string;
  fechaTimbrado: string;
  estado: 'Vigente' | 'Cancelado';
}

export interface OpcionesFake {
  user: string;
  password: string;
  llave: CryptoKey;
  noCertificadoSAT: string;
  ahora?: () => number;
}

/** FechaTimbrado is the SAT's local time in central Mexico, without offset. */
const fechaMexico = (ms: number) => fechaLocal(new Date(ms), 'America/Mexico_City');

export class FakeFinkok {
  readonly solicitudes: Solicitud[] = [];
  /** stamps by the CFDI's Sello */
  readonly timbres = new Map<string, Timbrado>();
  /** cancellations awaiting each receptor RFC's answer (get_pending) */
  readonly pendientes = new Map<string, string[]>();
  /** answers received through accept_reject_signature, by UUID */
  readonly respuestas = new Map<string, string>();
  /** cancellations need the receptor's acceptance (EstatusCancelacion "En proceso") */
  requiereAceptacion = false;
  private readonly guion: Comportamiento[] = [];
  private readonly ahora: () => number;
  private server!: Server;
  url = '';

  private constructor(private readonly opts: OpcionesFake) {
    this.ahora = opts.ahora ?? Date.now;
  }

  static async iniciar(opts: OpcionesFake): Promise<FakeFinkok> {
    const fake = new FakeFinkok(opts);
    fake.server = createServer((req, res) => {
      fake.atender(req, res).catch((e: Error) => {
        if (!res.headersSent) fake.responder(res, 500, llenar(plantilla('soap-fault.xml'), { mensaje: escapeAttr(e.message) }));
      });
    });
    await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  siguiente(...c: Comportamiento[]): void {
    this.guion.push(...c);
  }

  porUuid(uuid: string): Timbrado | undefined {
    for (const t of this.timbres.values()) if (t.uuid === uuid.toUpperCase()) return t;
    return undefined;
  }

  de(metodo: string): Solicitud[] {
    return this.solicitudes.filter((s) => s.metodo === metodo);
  }

  async cerrar(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private responder(res: ServerResponse, status: number, cuerpo: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' });
    res.end(cuerpo);
  }

  private async atender(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const ruta = new URL(req.url ?? '/', this.url).pathname.replace(/\.wsdl$/, '');
    const sobre = leerSoap(Buffer.concat(chunks).toString('utf8'));
    const cuerpo = sobre && buscarLocal(sobre, 'Body');
    const llamada = cuerpo?.children.find((c) => typeof c !== 'string');
    if (!llamada || typeof llamada === 'string') return this.responder(res, 500, llenar(plantilla('soap-fault.xml'), { mensaje: 'Sobre SOAP ilegible' }));
    const params: Record<string, string> = {};
    for (const p of llamada.children) if (typeof p !== 'string') params[p.local] = textoDe(p);
    if (params.xml) params.xml = Buffer.from(params.xml, 'base64').toString('utf8');
    const s: Solicitud = { path: ruta, soapAction: String(req.headers.soapaction ?? '').replace(/"/g, ''), metodo: llamada.local, params };
    this.solicitudes.push(s);
    res.on('finish', () => {
      s.status = res.statusCode;
    });
    const ns = ruta === '/servicios/soap/stamp' ? NS_STAMP : NS_CANCEL;
    const esperado = ruta === '/servicios/soap/stamp' ? llamada.ns === NS_STAMP : ruta === '/servicios/soap/cancel' && llamada.ns === NS_CANCEL;
    if (!esperado) return this.responder(res, 500, llenar(plantilla('soap-fault.xml'), { mensaje: `Método desconocido ${llamada.qname}` }));

    const c = this.guion.shift();
    if (c?.tipo === 'http') return this.responder(res, c.status, c.cuerpo ?? '');
    if (c?.tipo === 'colgar') return;
    if (c?.tipo === 'fault') return this.responder(res, 500, llenar(plantilla('soap-fault.xml'), { mensaje: escapeAttr(c.mensaje) }));
    if (c?.tipo === 'incidencia') return this.responder(res, 200, this.resultadoTimbrado(s.metodo, ns, null, [[c.codigo, c.mensaje]]));
    if (params.username !== this.opts.user || params.password !== this.opts.password) {
      return this.responder(res, 200, this.resultadoTimbrado(s.metodo, ns, null, [['300', 'Usuario y contraseña inválidos']]));
    }

    let respuesta: string;
    if (s.metodo === 'stamp') respuesta = await this.stamp(params.xml ?? '', c?.tipo === '307SinXml');
    else if (s.metodo === 'stamped') respuesta = this.stamped(params.xml ?? '');
    else if (s.metodo === 'cancel_signature') respuesta = this.cancelSignature(params.xml ?? '', c?.tipo === 'estatusUUID' ? c : undefined);
    else if (s.metodo === 'get_pending') respuesta = this.getPending(params.rtaxpayer_id ?? '');
    else if (s.metodo === 'accept_reject_signature') respuesta = this.acceptReject(params.xml ?? '');
    else return this.responder(res, 500, llenar(plantilla('soap-fault.xml'), { mensaje: `Método desconocido ${s.metodo}` }));
    if (c?.tipo === 'procesarYColgar') return;
    this.responder(res, 200, respuesta);
  }

  private resultadoTimbrado(metodo: string, ns: string, t: Timbrado | null, incidencias: [string, string][], codEstatus = ''): string {
    const fecha = fechaMexico(this.ahora());
    return llenar(plantilla('stamp-respuesta.xml'), {
      ns,
      metodo,
      xml: t ? escapeAttr(t.xml) : '',
      uuid: t?.uuid ?? '',
      fecha: t?.fechaTimbrado ?? '',
      codEstatus,
      satSeal: t?.selloSAT ?? '',
      noCertificadoSAT: t ? this.opts.noCertificadoSAT : '',
      incidencias: incidencias
        .map(([codigo, mensaje]) => llenar(plantilla('incidencia.xml'), { id: randomUUID(), uuid: t?.uuid ?? '', codigo, mensaje: escapeAttr(mensaje), fecha }))
        .join(''),
    });
  }

  private async stamp(xml: string, sinXml: boolean): Promise<string> {
    let comprobante;
    try {
      comprobante = parseXml(xml);
    } catch {
      return this.resultadoTimbrado('stamp', NS_STAMP, null, [['705', 'XML Estructura inválida']]);
    }
    const sello = attr(comprobante, 'Sello');
    if (!sello) return this.resultadoTimbrado('stamp', NS_STAMP, null, [['302', 'Sello mal formado o inválido']]);
    const previo = this.timbres.get(sello);
    if (previo) return this.resultadoTimbrado('stamp', NS_STAMP, sinXml ? null : previo, [['307', 'El CFDI contiene un timbre previo']]);
    const { xml: cfdi, timbre } = await timbrarCfdi(xml, {
      uuid: randomUUID(),
      fechaTimbrado: fechaMexico(this.ahora()),
      rfcProvCertif: RFC_PROV_CERTIF,
      noCertificadoSAT: this.opts.noCertificadoSAT,
      llave: this.opts.llave,
    });
    const emisor = comprobante.children.find((c) => typeof c !== 'string' && c.local === 'Emisor');
    const t: Timbrado = {
      uuid: timbre.uuid,
      rfcEmisor: (emisor && typeof emisor !== 'string' && attr(emisor, 'Rfc')) || '',
      xml: cfdi,
      selloSAT: timbre.selloSAT,
      fechaTimbrado: timbre.fechaTimbrado,
      estado: 'Vigente',
    };
    this.timbres.set(sello, t);
    return this.resultadoTimbrado('stamp', NS_STAMP, t, [], 'Comprobante timbrado satisfactoriamente');
  }

  private stamped(xml: string): string {
    let sello: string | undefined;
    try {
      sello = attr(parseXml(xml), 'Sello');
    } catch {
      sello = undefined;
    }
    const t = sello ? this.timbres.get(sello) : undefined;
    if (!t) return this.resultadoTimbrado('stamped', NS_STAMP, null, [['603', 'El CFDI no contiene un timbre previo']]);
    return this.resultadoTimbrado('stamped', NS_STAMP, t, [], 'Comprobante recibido satisfactoriamente');
  }

  private cancelSignature(xml: string, forzado?: { estatus: string; estatusCancelacion?: string }): string {
    const doc = parseXml(xml);
    const rfc = attr(doc, 'RfcEmisor') ?? '';
    const folio = buscarLocal(doc, 'Folio');
    const uuid = (folio && attr(folio, 'UUID')) ?? '';
    const t = this.porUuid(uuid);
    // the SAT's EstatusUUID: 201 received, 202 already cancelled, 203 not the issuer's, 205 unknown
    const estatus = forzado?.estatus ?? (!t ? '205' : t.rfcEmisor !== rfc ? '203' : t.estado === 'Cancelado' ? '202' : '201');
    let estatusCancelacion = forzado?.estatusCancelacion ?? '';
    if (!forzado && t && estatus === '201') {
      if (this.requiereAceptacion) estatusCancelacion = 'En proceso';
      else {
        t.estado = 'Cancelado';
        estatusCancelacion = 'Cancelado sin aceptación';
      }
    }
    if (!forzado && estatus === '202') estatusCancelacion = 'Cancelado sin aceptación';
    const fecha = fechaMexico(this.ahora());
    const acuse = llenar(plantilla('acuse-cancelacion.xml'), { fecha, rfcEmisor: rfc, uuid, estatusUUID: estatus });
    return llenar(plantilla('cancel-signature-respuesta.xml'), {
      ns: NS_CANCEL,
      uuid,
      estatusUUID: estatus,
      estatusCancelacion,
      acuse: escapeAttr(acuse),
      fecha,
      rfcEmisor: rfc,
    });
  }

  private getPending(rfc: string): string {
    const uuids = (this.pendientes.get(rfc) ?? []).map((u) => `<tns:string>${u}</tns:string>`).join('');
    return llenar(plantilla('get-pending-respuesta.xml'), { ns: NS_CANCEL, uuids });
  }

  private acceptReject(xml: string): string {
    const doc = parseXml(xml);
    const rfc = attr(doc, 'RfcReceptor') ?? '';
    const uuid = campo(doc, 'UUID') ?? '';
    const respuesta = campo(doc, 'Respuesta') ?? '';
    const pendientes = this.pendientes.get(rfc) ?? [];
    const status = this.respuestas.has(uuid) ? '1002' : pendientes.includes(uuid) ? '1000' : '1001';
    if (status === '1000') {
      this.respuestas.set(uuid, respuesta);
      this.pendientes.set(
        rfc,
        pendientes.filter((u) => u !== uuid),
      );
    }
    const [lista, item] = respuesta === 'Aceptacion' ? ['aceptacion', 'Acepta'] : ['rechazo', 'Rechaza'];
    const respuestas = `<s0:${lista}><s0:${item}><s0:status>${status}</s0:status><s0:uuid>${uuid}</s0:uuid></s0:${item}></s0:${lista}>`;
    return llenar(plantilla('accept-reject-signature-respuesta.xml'), { ns: NS_CANCEL, respuestas });
  }
}
