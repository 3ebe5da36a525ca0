// The only door to the server: same-origin requests to /api and /ogc, the session cookie, and the
// CSRF token on writes. Errors arrive in the envelope {ok: false, error: {code, message}}.
export interface ApiError { code: string; message: string }
export class RequestFailed extends Error {
  constructor(public status: number, public error: ApiError) { super(error.message) }
}

let csrf = ''
export function setCsrf(token: string): void { csrf = token }

export async function api<T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf
  const r = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const data = await r.json().catch(() => ({ ok: false, error: { code: 'http.bad_response', message: `服务器返回 ${r.status}` } }))
  if (!r.ok) throw new RequestFailed(r.status, data.error ?? { code: 'http.error', message: `请求失败（${r.status}）` })
  return data as T
}

export interface User { name: string; display_name: string; role: string; role_label: string; jurisdiction: string }
export interface Layer { kind: string; epoch: number; features: number | null; counties: string[] }
export interface WorkspaceInfo {
  workspace: { region: string; name: string; level: string }
  actor: { name: string; display_name: string; role: string; role_label: string; jurisdiction: string }
  counties: { code: string; name: string }[]
  layers: Layer[]
}

export function errorText(e: unknown): string {
  if (e instanceof RequestFailed) return `${e.error.message}（${e.error.code}）`
  return String(e)
}

// A multipart upload (photos): the same envelope and CSRF rule as api().
export async function upload<T = any>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (csrf) headers['X-CSRF-Token'] = csrf
  const r = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: form })
  const data = await r.json().catch(() => ({ ok: false, error: { code: 'http.bad_response', message: `服务器返回 ${r.status}` } }))
  if (!r.ok) throw new RequestFailed(r.status, data.error ?? { code: 'http.error', message: `请求失败（${r.status}）` })
  return data as T
}
