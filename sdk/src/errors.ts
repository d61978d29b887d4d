export interface HexaFacErrorDetail {
  path: string;
  message: string;
  code?: string;
}

/**
 * Every failure of the SDK. `status` is the HTTP status, or 0 when no answer came (network error, timeout) or
 * the failure is the client's own (waitUntilTimbrada). `code`, `message`, `details` and `requestId` come from the
 * API's error body when there is one.
 */
export class HexaFacError extends Error {
  override readonly name = 'HexaFacError';
  readonly status: number;
  readonly code: string;
  readonly details: HexaFacErrorDetail[];
  readonly requestId: string | null;

  constructor(init: { status: number; code: string; message: string; details?: HexaFacErrorDetail[]; requestId?: string | null; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId ?? null;
  }
}

/** A webhook whose signature, timestamp or headers do not check out. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly code: 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_tolerance' | 'invalid_signature' | 'invalid_secret',
    message: string,
  ) {
    super(message);
  }
}

/** Maps an API error response (the one error shape, or anything else a proxy might answer) to a HexaFacError. */
export async function errorFromResponse(res: Response): Promise<HexaFacError> {
  const text = await res.text().catch(() => '');
  const headerId = res.headers.get('x-request-id');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new HexaFacError({
      status: res.status,
      code: e.code,
      message: e.message,
      details: Array.isArray(e.details) ? (e.details as HexaFacErrorDetail[]) : [],
      requestId: typeof e.request_id === 'string' && e.request_id ? e.request_id : headerId,
    });
  }
  return new HexaFacError({
    status: res.status,
    code: `http_${res.status}`,
    message: text.slice(0, 500) || `HTTP ${res.status}`,
    requestId: headerId,
  });
}
