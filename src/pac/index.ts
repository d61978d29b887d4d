import type { Env } from '../env';
import type { Mode } from '../lib/mode';
import type { Foto } from './circuito';
import * as consultaSat from './consulta-sat';
import type { Circuito } from './failover';
import { FinkokPac } from './finkok';
import { SandboxConsultaSat, SandboxPac } from './sandbox';
import { esHostDePruebas, SwSapienPac } from './sw-sapien';
import type { ConsultaSat, PacAdapter } from './types';

// Which PACs stamp for whom. Test keys always get the two in-process sandbox PACs (test mode never reaches
// a real PAC, and its failover behaves as live's). Live keys get the PACs whose credentials the deployment
// has (Worker secrets), in the application's order (`pacs`), else in PACS_LIVE's, else SW Sapien then Finkok.

export const PACS_SANDBOX = ['sandbox', 'sandbox-respaldo'] as const;
export const PACS_LIVE = ['sw-sapien', 'finkok'] as const;

export interface Pacs {
  /** The PACs an application stamps with, in order (empty: none configured for live). */
  de(mode: Mode, app: { pacs: string[] | null }): PacAdapter[];
  /** A PAC by name, even one the application no longer lists (a stamp or an uncertain answer lives there). */
  porNombre(mode: Mode, nombre: string): PacAdapter | null;
  circuito(mode: Mode, cuenta: string, nombre: string): Circuito;
  /** The breaker's state, for the admin panel. */
  foto(mode: Mode, cuenta: string, nombre: string): Promise<Foto>;
  consultaSat(mode: Mode): ConsultaSat;
  /** The live PACs this deployment has credentials for, in the default order. */
  configurados(): string[];
}

function pacsLive(env: Env): Map<string, PacAdapter> {
  const m = new Map<string, PacAdapter>();
  if (env.SW_SAPIEN_URL && (env.SW_SAPIEN_TOKEN || (env.SW_SAPIEN_USER && env.SW_SAPIEN_PASSWORD))) {
    m.set('sw-sapien', new SwSapienPac({ baseUrl: env.SW_SAPIEN_URL, token: env.SW_SAPIEN_TOKEN, user: env.SW_SAPIEN_USER, password: env.SW_SAPIEN_PASSWORD }));
  }
  if (env.FINKOK_URL && env.FINKOK_USER && env.FINKOK_PASSWORD) {
    m.set('finkok', new FinkokPac({ baseUrl: env.FINKOK_URL, user: env.FINKOK_USER, password: env.FINKOK_PASSWORD }));
  }
  return m;
}

/** The SAT's test status service when the PACs are their test hosts: their stamps are not in production's. */
function consultaSatUrl(env: Env): string {
  if (env.SAT_CONSULTA_URL) return env.SAT_CONSULTA_URL;
  const pruebas = (env.SW_SAPIEN_URL && esHostDePruebas(env.SW_SAPIEN_URL)) || (env.FINKOK_URL && /demo/i.test(env.FINKOK_URL));
  return pruebas ? consultaSat.CONSULTA_SAT_PRUEBAS_URL : consultaSat.CONSULTA_SAT_URL;
}

/** Tests may put their own adapters (fakes of a PAC's network) in both modes' place. */
export interface OpcionesPacs {
  adaptadores?: PacAdapter[];
  consultaSat?: ConsultaSat;
}

export function pacsDe(env: Env, clock: () => Date, opciones: OpcionesPacs = {}): Pacs {
  const sandbox = (nombre: string) =>
    new SandboxPac({ nombre, keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET, now: clock });
  const propios = opciones.adaptadores && new Map(opciones.adaptadores.map((p) => [p.nombre, p]));
  const test = propios ?? new Map<string, PacAdapter>(PACS_SANDBOX.map((n) => [n, sandbox(n)]));
  const live = propios ?? pacsLive(env);
  const porModo = (mode: Mode) => (mode === 'test' ? test : live);
  const orden = (env.PACS_LIVE?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...PACS_LIVE]) as string[];
  const stub = (mode: Mode, cuenta: string, nombre: string) =>
    env.PAC_CIRCUITO.get(env.PAC_CIRCUITO.idFromName(mode === 'test' ? `test:${cuenta}:${nombre}` : `live:${nombre}`));
  const consultas = opciones.consultaSat ? { test: opciones.consultaSat, live: opciones.consultaSat } : {
    test: new SandboxConsultaSat({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET, now: clock }),
    live: new consultaSat.ConsultaSatService({ url: consultaSatUrl(env) }),
  };
  return {
    de(mode, app) {
      const pacs = porModo(mode);
      const nombres = propios ? [...propios.keys()] : mode === 'test' ? PACS_SANDBOX : (app.pacs ?? orden);
      return nombres.flatMap((n) => pacs.get(n) ?? []);
    },
    porNombre: (mode, nombre) => porModo(mode).get(nombre) ?? null,
    circuito(mode, cuenta, nombre) {
      const s = stub(mode, cuenta, nombre);
      const ahora = () => clock().getTime();
      return { permitir: () => s.permitir(ahora()), registrar: (exito, motivo) => s.registrar(ahora(), exito, motivo) };
    },
    foto: (mode, cuenta, nombre) => stub(mode, cuenta, nombre).foto(clock().getTime()),
    consultaSat: (mode) => consultas[mode],
    configurados: () => orden.filter((n) => live.has(n)),
  };
}
