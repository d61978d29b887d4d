import { API_BASE } from '../../env';
import { SCOPES } from '../../lib/auth';
import { PLATFORM_SCOPES } from '../../lib/auth-plataforma';
import { errorDocumentado } from '../../lib/openapi';
import { EXENTAS, LIMITES } from '../../lib/rate-limit';

// The top of /openapi.json: what a developer reads before any route.

const descripcion = `
Facturación electrónica **CFDI 4.0** como servicio: emite facturas, notas de crédito y complementos de pago,
los timbra con un PAC, los cancela ante el SAT y avisa de cada cambio por webhook.

## Autenticación
Cada solicitud lleva \`Authorization: Bearer <API key>\`. Las llaves \`hfx_test_…\` operan en **sandbox** (PAC de
pruebas, sin validez fiscal) y las \`hfx_live_…\` en producción; los datos de un modo no se ven desde el otro.
Sin llave o con una llave inválida, revocada o expirada la respuesta es \`401\`.
Una plataforma (ERP, punto de venta) administra las aplicaciones de sus emisores en las rutas \`/plataforma/…\` con su
key \`hfx_plat_…\` (esquema \`platformAuth\`, scopes ${PLATFORM_SCOPES.map((s) => `\`${s}\``).join(', ')}); esa key no opera comprobantes.

## Scopes
Cada llave tiene una lista de scopes y cada ruta indica el que requiere (en \`security\`); sin él, \`403\`.
Scopes: ${SCOPES.map((s) => `\`${s}\``).join(', ')}.

## Errores
Todo error tiene la misma forma (esquema \`Error\`):
\`{"error": {"code", "message", "details": [{"path", "message", "code"}], "request_id"}}\`.
\`details\` enumera cada problema de validación (\`422\`) con su ruta en el cuerpo y, cuando aplica, el código
CFDI40xxx del SAT. Reporta el \`request_id\` (también en el encabezado \`X-Request-Id\`) a soporte.

## Idempotencia
Todo \`POST\` que crea algo (comprobantes, cancelaciones, clientes, webhooks) acepta \`Idempotency-Key\`: la misma
clave con el mismo cuerpo devuelve la respuesta original (con \`Idempotent-Replayed: true\`) durante 24 h, así que
un reintento nunca crea dos; con otro cuerpo, \`409\`. La clave se guarda en la misma escritura que lo creado: ni
una caída a media solicitud deja una clave bloqueada o un comprobante sin su respuesta.

## Límites de uso
Por API key y por clase de operación: lecturas (\`GET\`), escrituras (\`POST\`, \`PUT\`, \`PATCH\`, \`DELETE\`) y costosas
(lotes, exportaciones y envíos por correo). Con el plan estándar: ${Object.entries(LIMITES.estandar)
  .map(([clase, { q, w }]) => `${clase} ${q} cada ${w} s`)
  .join(', ')}; una ráfaga puede gastar la cuota entera, que se repone de forma continua. Cada respuesta lleva
\`RateLimit-Policy\` y \`RateLimit\` (borrador IETF httpapi-ratelimit-headers); al agotarse, \`429\`
\`rate_limit_exceeded\` con \`Retry-After\` en segundos. Sin API key se cuenta por IP. Tabla completa en el README.

## Paginación
Los listados devuelven \`{"data": [...], "next_cursor": "…" | null}\`, del más reciente al más antiguo.
Pide la siguiente página con \`?cursor=<next_cursor>\` (y \`limit\` de 1 a 100).

## Timbrado asíncrono
Crear un comprobante responde \`202\` con su \`id\` y estado \`pendiente\`; el estado pasa a \`timbrada\`,
\`rechazada\` o \`error\` y se notifica por webhook (Standard Webhooks, firmado con el secreto \`whsec_…\`).

## Sandbox
Con llaves \`hfx_test_…\` el PAC de pruebas hace las validaciones de un PAC (sello, certificado, vigencia,
antigüedad de 72 h) y firma un TimbreFiscalDigital real con un certificado propio de HexaFac, publicado en
\`GET ${API_BASE}/sandbox/certificado\`. Documentación interactiva: \`GET ${API_BASE}/docs\`.

## Ejemplos
Cada operación que recibe un cuerpo trae un ejemplo que funciona tal cual en el sandbox de \`npm start\` (se prueba en CI).
Donde hace falta un objeto tuyo, el ejemplo lleva un marcador: \`00000000-0000-4000-8000-000000000001\` es el UUID de una
factura timbrada; \`…000000000002\`, el de una factura PPD timbrada; en \`POST /cfdi/verificar\`, \`xml\` es el XML del CFDI.

## Servidores
\`servers\` es el origen que sirvió este documento (local con \`npm start\`: \`http://127.0.0.1:8787${API_BASE}\`). Para producción,
usa el documento que sirve tu instalación (\`https://<tu-host>${API_BASE}/openapi.json\`) o cambia solo el origen: las rutas
son las mismas; el SDK lo recibe en \`new HexaFac(apiKey, { baseUrl: 'https://<tu-host>' })\`.
`.trim();

export const TAGS = [
  { name: 'Facturas', description: 'CFDI de ingreso: emisión asíncrona, consulta, listado y descarga de XML y PDF.' },
  { name: 'Notas de crédito', description: 'CFDI de egreso relacionados con una factura timbrada.' },
  { name: 'Complementos de pago', description: 'CFDI de tipo P (Pagos 2.0) que registran el cobro de facturas PPD.' },
  { name: 'Nómina', description: 'Recibos de nómina: CFDI de tipo N con el complemento de Nómina 1.2 (revisión D), con los totales calculados y las reglas NOM aplicadas antes de timbrar; uno a uno o toda una nómina en una solicitud (POST /nominas).' },
  { name: 'Traslados', description: 'CFDI de tipo T con el complemento Carta Porte 3.1 (autotransporte federal) para mover mercancía propia por carretera; el flete cobrado es una factura (POST /facturas con `carta_porte`).' },
  { name: 'Exportaciones', description: 'Todos los comprobantes de un periodo en un ZIP (XML idéntico al timbrado, PDF y manifiesto) o un CSV; se generan en segundo plano y avisan con exportacion.lista.' },
  { name: 'Recibos', description: 'Tickets del punto de venta: autofactura del cliente en el portal y, al cerrar el periodo, la factura global a PUBLICO EN GENERAL de lo que nadie facturó (webhook factura_global.timbrada).' },
  { name: 'Envíos por correo', description: 'El XML y el PDF de un CFDI vigente por correo (Cloudflare Email Service): automático al timbrar cuando el cliente tiene email, o a pedido; cada envío con su estado, Message-ID e intentos.' },
  { name: 'Lotes', description: 'Hasta 500 facturas, notas de crédito y complementos de pago en una solicitud, cada uno aceptado por sí solo; conteos por estado y el webhook lote.completado.' },
  { name: 'Cancelaciones', description: 'Cancelación ante el SAT con motivo (01–04) y, si aplica, folio de sustitución.' },
  { name: 'Clientes', description: 'Receptores guardados con sus datos fiscales validados (RFC, régimen, uso CFDI, CP).' },
  { name: 'Webhooks', description: 'Suscripciones a eventos, bitácora de entregas, reenvíos y rotación del secreto de firma.' },
  { name: 'CFDI recibidos', description: 'Verificación de los CFDI que envían los proveedores: Sello, timbre, XSD y reglas del SAT, y el CFDI como JSON. No guarda nada.' },
  { name: 'Catálogos', description: 'Catálogos del SAT: búsqueda de c_ClaveProdServ y c_ClaveUnidad, códigos postales con su zona horaria, y los catálogos pequeños.' },
  {
    name: 'Plataforma',
    description:
      'Con una key de plataforma (`hfx_plat_…`): las aplicaciones (emisores) de la plataforma, su CSD, sus API keys, sus series y folios, y los webhooks de la plataforma.',
  },
  { name: 'Sistema', description: 'Salud del servicio, identidad de la API key y certificado del PAC sandbox.' },
];

const configuracion = (origen: string) => ({
  openapi: '3.1.0',
  info: { title: 'HexaFac API', version: '1.0.0', description: descripcion, license: { name: 'MIT', identifier: 'MIT' } },
  servers: [{ url: `${origen}${API_BASE}`, description: 'Este servidor' }],
  tags: TAGS,
});

const cabecera = (description: string, example: string) => ({ description, schema: { type: 'string' }, example });

/** The rate limits' headers, declared once and referenced by every limited response. */
const CABECERAS = {
  'RateLimit-Policy': cabecera(
    'La cuota de la clase de la operación: `"<clase>";q=<solicitudes>;w=<segundos>` (borrador IETF httpapi-ratelimit-headers).',
    '"escrituras";q=1000;w=60',
  ),
  RateLimit: cabecera(
    'Lo que queda: `r` solicitudes ahora, y en `t` segundos una más (la cuota se repone de forma continua).',
    '"escrituras";r=999;t=1',
  ),
  'Retry-After': { description: 'Segundos hasta poder reintentar.', schema: { type: 'integer', minimum: 1 }, example: 1 },
};
const ref = (nombre: string) => ({ $ref: `#/components/headers/${nombre}` });

type Respuesta = { headers?: Record<string, unknown> } & Record<string, unknown>;
type Paths = Record<string, Record<string, { responses?: Record<string, Respuesta> }>>;
const METODOS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * The document `GET /openapi.json` serves, from the routes' own (`generar`): the server is absolute and the one that
 * answered, so a client generated from `npm start`'s document points at http://127.0.0.1:8787 and one from production
 * at its host. Every limited operation (all but EXENTAS, src/lib/rate-limit.ts) documents the 429 and the rate-limit
 * headers on each of its responses here, in one place, rather than in every route.
 */
export function documentoOpenApi<D extends { paths?: object; components?: object }>(
  origen: string,
  generar: (config: ReturnType<typeof configuracion>) => D,
): D {
  const doc = generar(configuracion(origen));
  const { description, example } = errorDocumentado(429);
  for (const [ruta, item] of Object.entries((doc.paths ?? {}) as Paths)) {
    if (EXENTAS.has(ruta)) continue;
    for (const [metodo, op] of Object.entries(item)) {
      if (!METODOS.has(metodo)) continue;
      const responses = (op.responses ??= {});
      responses['429'] = {
        description,
        headers: { 'Retry-After': ref('Retry-After') },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } },
      };
      for (const r of Object.values(responses)) r.headers = { ...r.headers, 'RateLimit-Policy': ref('RateLimit-Policy'), RateLimit: ref('RateLimit') };
    }
  }
  const components = doc.components as { headers?: object } | undefined;
  doc.components = { ...components, headers: { ...components?.headers, ...CABECERAS } };
  return doc;
}
