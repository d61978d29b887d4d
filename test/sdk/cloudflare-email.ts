// Node stand-in of the Workers runtime's `cloudflare:email` (see vitest.config.mts): only its name is needed here.
export class EmailMessage {}
