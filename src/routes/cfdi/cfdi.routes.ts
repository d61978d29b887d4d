import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent } from '../../lib/openapi';
import { EJEMPLO_VERIFICAR } from '../ejemplos';

const tags = ['CFDI recibidos'];

const DetalleSchema = z.object({ path: z.string().meta({ example: '/cfdi:Comprobante/cfdi:Conceptos/cfdi:Concepto/@ValorUnitario' }), message: z.string(), code: z.string() });
const nulo = (d: string, example: string | null = null) => z.string().nullable().meta({ description: d, example });

export const VerificacionSchema = z
  .object({
    valido: z.boolean().meta({
      description: 'true: el Sello verifica, está timbrado, el SelloCFD del timbre es el Sello, el SelloSAT no resultó inválido, y no hay errores de estructura ni de reglas.',
    }),
    version: nulo('Version del comprobante.', '4.0'),
    tipo_de_comprobante: nulo('c_TipoDeComprobante.', 'I'),
    fecha: nulo('Fecha de emisión, como viene en el XML.', '2026-11-20T12:00:00'),
    sello: z.object({
      valido: z.boolean().meta({ description: 'El Sello verifica sobre la cadena original recalculada con el Certificado del XML, que es del emisor y tiene su NoCertificado.' }),
      no_certificado: nulo('NoCertificado del certificado incluido.', '30001000000500003416'),
      rfc: nulo('RFC del certificado incluido.', 'EKU9003173C9'),
      motivo: nulo('Por qué no es válido.'),
    }),
    timbre: z
      .object({
        presente: z.boolean(),
        uuid: z.string().optional(),
        fecha: z.string().optional().meta({ description: 'FechaTimbrado.' }),
        rfc_prov_certif: z.string().nullable().optional(),
        no_certificado_sat: z.string().optional(),
        sello_cfd_coincide: z.boolean().optional(),
        sello_sat: z.enum(['valido', 'invalido', 'desconocido']).optional().meta({
          description:
            'desconocido: HexaFac no tiene el certificado de timbrado con ese NoCertificadoSAT (se verifica con los que configura el operador y, con llaves de prueba, el del PAC de sandbox); nunca se supone.',
        }),
      })
      .meta({ description: '{presente: false} si no está timbrado.' }),
    estructura: z.object({ errores: z.array(DetalleSchema).meta({ description: 'Lo que los XSD del SAT (cfdv40, Pagos 2.0, TimbreFiscalDigital 1.1) no admiten, con la XPath del nodo.' }) }),
    reglas: z.object({ errores: z.array(DetalleSchema).meta({ description: 'Reglas de las matrices de errores del SAT (CFDI40xxx, CRP20xxx) que el XML mismo permite decidir; lista en docs/recibidos-reglas.md.' }) }),
    estado_sat: z.null().meta({ description: 'Estado en el SAT (vigente o cancelado): aún no se consulta; un servicio posterior lo llenará aquí.' }),
    emisor: z.object({ rfc: nulo('', 'EKU9003173C9'), nombre: nulo(''), regimen_fiscal: nulo('') }),
    receptor: z.object({ rfc: nulo(''), nombre: nulo(''), domicilio_fiscal: nulo(''), regimen_fiscal: nulo(''), uso_cfdi: nulo('') }),
    totales: z.object({
      moneda: nulo('', 'MXN'),
      tipo_cambio: nulo(''),
      subtotal: nulo('', '1000.00'),
      descuento: nulo(''),
      total_impuestos_trasladados: nulo('', '160.00'),
      total_impuestos_retenidos: nulo(''),
      total: nulo('', '1160.00'),
    }),
    complementos: z.array(z.string()).meta({ description: 'Complementos del comprobante y de sus conceptos, con el prefijo del SAT.', example: ['tfd:TimbreFiscalDigital', 'implocal:ImpuestosLocales'] }),
    cfdi: z.record(z.string(), z.unknown()).meta({
      description:
        'El CFDI como JSON con el vocabulario de la API (snake_case, nodos contenedores como arreglos). Los nodos que HexaFac no modela (otros complementos, addenda) van genéricos: {nodo, espacio, atributos, hijos}.',
    }),
  })
  .meta({ id: 'VerificacionCfdi' });

export const VerificarCuerpoSchema = z
  .object({
    xml: z.string().min(1).optional().meta({ description: 'El CFDI como texto.', example: '<?xml version="1.0" encoding="UTF-8"?><cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0" …>…</cfdi:Comprobante>' }),
    xml_base64: z.string().min(1).optional().meta({ description: 'Los bytes del archivo en base64 (conserva su codificación declarada, p. ej. ISO-8859-1).' }),
  })
  .strict()
  .meta({ id: 'VerificarCfdi' });

export const verificar = createRoute({
  method: 'post',
  path: '/cfdi/verificar',
  operationId: 'verificarCfdi',
  tags,
  summary: 'Verificar un CFDI recibido',
  description:
    'Para cuentas por pagar: el XML de un proveedor, como cuerpo (`application/xml` o `text/xml`, los bytes del archivo) o en JSON (`{"xml": "…"}` o `{"xml_base64": "…"}`). ' +
    'Responde 200 con la verificación del Sello, del timbre, de la estructura (XSD del SAT) y de las reglas del SAT, más el CFDI como JSON. ' +
    'Lee cualquier CFDI 4.0 con cualquier complemento que incluya la hoja de estilo del SAT. No guarda nada. Un XML mal formado, un CFDI 3.3 o algo que no es un ' +
    'cfdi:Comprobante 4.0 es 422 (con línea y columna del error de XML); más de 1 MiB, 413. Requiere el scope `cfdi:verificar`.',
  security: [{ bearerAuth: ['cfdi:verificar'] }],
  middleware: [requireAuth('cfdi:verificar')] as const,
  request: {
    body: {
      content: {
        'application/json': { schema: VerificarCuerpoSchema, example: EJEMPLO_VERIFICAR },
        'application/xml': { schema: z.string().meta({ description: 'El archivo XML tal cual.' }) },
      },
    },
  },
  responses: {
    200: jsonContent(VerificacionSchema, 'El resultado de la verificación.'),
    ...errorResponses(400, 401, 403, 413, 415, 422),
  },
});
