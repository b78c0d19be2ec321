/** An error answer of the API: `{ error: { code, message, details? } }`, or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

let apiBase = '';

/** Where the API lives: same origin locally; `/api` behind CloudFront, as `/config.json` says. */
export const setApiBase = (base: string) => {
  apiBase = base.replace(/\/+$/, '');
};

/** An API path (`/v1/…`) as the browser must ask for it. */
export const apiUrl = (path: string) => (path.startsWith('/') ? `${apiBase}${path}` : path);

/**
 * Calls the API on the same origin with the session's token. A 401 means the session is over:
 * `onUnauthorized` signs the user out.
 */
export const createApi = (token: string | undefined, onUnauthorized: () => void): ApiClient => {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ) => {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(apiUrl(path), {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ApiError(0, 'network', (cause as Error).message);
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (
        parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      )?.error;
      if (response.status === 401 && token) onUnauthorized();
      throw new ApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? response.statusText,
        error?.details,
      );
    }
    return parsed as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body, headers),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path) => call('DELETE', path),
  };
};

/**
 * Uploads a file through a presigned ticket and answers its attachment id. Staff ask
 * `/v1/attachments`; the public page asks its city's `/v1/public/{tenant}/attachments`.
 */
export const uploadAttachment = async (
  api: ApiClient,
  file: File,
  ticketPath = '/v1/attachments',
): Promise<string> => {
  const ticket = await api.post<{
    attachmentId: string;
    uploadUrl: string;
    method: 'PUT';
    headers: Record<string, string>;
  }>(ticketPath, {
    contentType: file.type || 'application/octet-stream',
    sizeBytes: file.size,
    fileName: file.name,
  });
  const response = await fetch(ticket.uploadUrl, {
    method: ticket.method,
    headers: ticket.headers,
    body: file,
  });
  if (!response.ok) throw new ApiError(response.status, 'upload_failed', `upload failed: ${response.status}`);
  return ticket.attachmentId;
};
