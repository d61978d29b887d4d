import { createRoute, z } from '@hono/zod-openapi';
import { CATALOGOS_CARTA_PORTE } from '../../cfdi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent } from '../../lib/openapi';

const tags = ['Catálogos'];
// Public reference data: any valid API key may read it, whatever its scopes.
const lectura = { security: [{ bearerAuth: [] }], middleware: [requireAuth()] };

const BusquedaQuery = z.object({
  q: z
    .string({ error: 'Falta q (el texto a buscar).' })
    .trim()
    .min(2)
    .max(100)
    .meta({ description: 'Texto a buscar (sin distinguir acentos ni mayúsculas; la última palabra puede estar incompleta) o una clave.', example: 'cafe sol' }),
  limit: z.coerce.number().int().min(1).max(50).default(10).meta({ description: 'Resultados como máximo (1–50).' }),
});

const ProductoServicioSchema = z
  .object({
    clave: z.string().meta({ example: '50201706' }),
    descripcion: z.string().meta({ example: 'Café' }),
    palabras_similares: z.string().nullable().meta({ example: null }),
    estimulo_franja_fronteriza: z.boolean().describe('La clave puede aplicar el estímulo de IVA en la región fronteriza.'),
  })
  .meta({ id: 'ProductoServicio' });

const ClaveUnidadSchema = z
  .object({
    clave: z.string().meta({ example: 'H87' }),
    nombre: z.string().meta({ example: 'Pieza' }),
    simbolo: z.string().nullable().meta({ example: null }),
  })
  .meta({ id: 'ClaveUnidad' });

const CodigoPostalSchema = z
  .object({
    codigo_postal: z.string().meta({ example: '32000' }),
    estado: z.string().describe('Clave c_Estado.').meta({ example: 'CHH' }),
    municipio: z.string().nullable().describe('Clave c_Municipio; null cuando el SAT no la asigna (códigos reservados).').meta({ example: '037' }),
    localidad: z.string().nullable().describe('Clave c_Localidad, si el catálogo la da.').meta({ example: '06' }),
    zona_horaria: z.string().describe('Zona IANA de la hora legal (Ley de los Husos Horarios, 2022).').meta({ example: 'America/Ciudad_Juarez' }),
    franja_fronteriza: z.boolean().describe('En la región fronteriza norte o sur de los decretos de estímulos fiscales (IVA 8 %).'),
  })
  .meta({ id: 'CodigoPostal' });

export const NOMBRES_CATALOGOS = [
  'forma-pago', 'metodo-pago', 'uso-cfdi', 'regimen-fiscal', 'moneda', 'impuesto', 'tasa-o-cuota', 'objeto-imp', 'exportacion',
  'tipo-de-comprobante', 'tipo-relacion', 'periodicidad', 'mes', 'tipo-factor', 'estado', 'pais',
] as const;

const CatalogoSchema = z
  .object({
    nombre: z.string().meta({ example: 'metodo-pago' }),
    data: z.array(z.record(z.string(), z.unknown())).meta({ example: [{ clave: 'PUE', descripcion: 'Pago en una sola exhibición', vigencia_desde: '2022-01-01' }] }),
  })
  .meta({ id: 'Catalogo' });

const CatalogoCartaPorteSchema = z
  .object({
    nombre: z.string().meta({ example: 'material-peligroso' }),
    catalogo: z.string().describe('El catálogo del SAT (catCartaPorte).').meta({ example: 'c_MaterialPeligroso' }),
    data: z.array(z.record(z.string(), z.unknown())).meta({
      example: [{ clave: '1203', descripcion: 'COMBUSTIBLE PARA MOTORES o GASOLINA', clase_o_div: '3' }],
    }),
    next_cursor: z.string().nullable().describe('Para pedir la página siguiente; null en la última.'),
  })
  .meta({ id: 'CatalogoCartaPorte' });

const nombresCartaPorte = Object.entries(CATALOGOS_CARTA_PORTE).map(([nombre, c]) => `\`${nombre}\` (${c.sat})`).join(', ');

export const productosServicios = createRoute({
  method: 'get',
  path: '/catalogos/productos-servicios',
  operationId: 'buscarProductosServicios',
  tags,
  summary: 'Busca en c_ClaveProdServ',
  description:
    'Por descripción y palabras similares, ordenado por relevancia; una clave de 8 dígitos la devuelve primero y de 2 a 7 dígitos lista las claves que empiezan así. Solo claves vigentes hoy.',
  ...lectura,
  request: { query: BusquedaQuery },
  responses: { 200: jsonContent(z.object({ data: z.array(ProductoServicioSchema) }), 'Las claves encontradas.'), ...errorResponses(401, 422) },
});

export const clavesUnidad = createRoute({
  method: 'get',
  path: '/catalogos/claves-unidad',
  operationId: 'buscarClavesUnidad',
  tags,
  summary: 'Busca en c_ClaveUnidad',
  description: 'Por clave (H87, E48), nombre y símbolo, ordenado por relevancia. Solo claves vigentes hoy.',
  ...lectura,
  request: { query: BusquedaQuery },
  responses: { 200: jsonContent(z.object({ data: z.array(ClaveUnidadSchema) }), 'Las claves encontradas.'), ...errorResponses(401, 422) },
});

export const codigoPostal = createRoute({
  method: 'get',
  path: '/catalogos/codigos-postales/{cp}',
  operationId: 'obtenerCodigoPostal',
  tags,
  summary: 'Consulta un código postal (c_CodigoPostal)',
  ...lectura,
  request: {
    params: z.object({ cp: z.string().max(10).meta({ param: { name: 'cp', in: 'path' }, example: '32000', description: 'Código postal de 5 dígitos.' }) }),
  },
  responses: { 200: jsonContent(CodigoPostalSchema, 'El código postal.'), ...errorResponses(401, 404, 422) },
});

export const catalogo = createRoute({
  method: 'get',
  path: '/catalogos/{nombre}',
  operationId: 'obtenerCatalogo',
  tags,
  summary: 'Un catálogo pequeño del SAT, completo',
  description: `Catálogos: ${NOMBRES_CATALOGOS.join(', ')}. Claves como \`clave\`, texto como \`descripcion\`, vigencia como \`vigencia_desde\` / \`vigencia_hasta\`.`,
  ...lectura,
  request: {
    params: z.object({ nombre: z.string().max(40).meta({ param: { name: 'nombre', in: 'path' }, example: 'uso-cfdi', description: 'Nombre del catálogo.' }) }),
  },
  responses: { 200: jsonContent(CatalogoSchema, 'El catálogo.'), ...errorResponses(401, 404) },
});

export const catalogoCartaPorte = createRoute({
  method: 'get',
  path: '/catalogos/carta-porte/{nombre}',
  operationId: 'buscarCatalogoCartaPorte',
  tags,
  summary: 'Busca en un catálogo del complemento Carta Porte 3.1',
  description:
    `Catálogos: ${nombresCartaPorte}. Con \`q\`, primero las claves que empiezan así (T3 da T3S1, T3S2…) y luego las descripciones ` +
    'que contienen cada palabra (sin distinguir acentos ni mayúsculas), por relevancia; sin `q`, el catálogo completo en orden de clave, ' +
    'por páginas. Son las claves que HexaFac acepta en `carta_porte` antes de timbrar. c_ClaveProdServCP (`bienes_transp`) y c_Colonia ' +
    '(`domicilio.colonia`) no están: el SAT no los publica como datos, y HexaFac solo revisa su forma (8 dígitos; 4 dígitos con ' +
    'país MEX); los demás catálogos del SAT para otros medios de transporte tampoco, porque HexaFac solo ofrece autotransporte federal.',
  ...lectura,
  request: {
    params: z.object({
      nombre: z.string().max(40).meta({ param: { name: 'nombre', in: 'path' }, example: 'material-peligroso', description: 'Nombre del catálogo.' }),
    }),
    query: z.object({
      q: BusquedaQuery.shape.q.optional().meta({ description: 'Una clave o su principio, o palabras de la descripción.', example: 'gasolina' }),
      limit: BusquedaQuery.shape.limit,
      cursor: z.string().max(40).optional().meta({ description: 'El `next_cursor` de la página anterior.' }),
    }),
  },
  responses: { 200: jsonContent(CatalogoCartaPorteSchema, 'Las claves encontradas.'), ...errorResponses(401, 404, 422) },
});
