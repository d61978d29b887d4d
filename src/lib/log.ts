// One logger: a JSON line per entry, which Workers Logs and `wrangler tail` index by field.

type Campos = Record<string, unknown>;

const escribir = (level: 'info' | 'warn' | 'error', message: string, campos: Campos = {}) =>
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(JSON.stringify({ level, message, ...campos }));

export const log = {
  info: (message: string, campos?: Campos) => escribir('info', message, campos),
  warn: (message: string, campos?: Campos) => escribir('warn', message, campos),
  error: (message: string, campos?: Campos) => escribir('error', message, campos),
};

export type Logger = typeof log;
