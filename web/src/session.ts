import { reactive } from 'vue'
import { api, setCsrf, type User, type WorkspaceInfo } from './api'

export const session = reactive<{ user: User | null; info: WorkspaceInfo | null; checked: boolean }>({
  user: null, info: null, checked: false,
})

export async function restore(): Promise<boolean> {
  try {
    const me = await api<{ user: User; csrf_token?: string }>('/api/auth/me')
    session.user = me.user
    if (me.csrf_token) setCsrf(me.csrf_token)
    session.info = await api<WorkspaceInfo>('/api/workspace')
  } catch {
    session.user = null
  }
  session.checked = true
  return session.user !== null
}

export async function login(name: string, password: string): Promise<void> {
  const r = await api<{ user: User; csrf_token: string }>('/api/auth/login', { method: 'POST', body: { name, password } })
  setCsrf(r.csrf_token)
  session.user = r.user
  session.info = await api<WorkspaceInfo>('/api/workspace')
}

export async function logout(): Promise<void> {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined)
  session.user = null
  session.info = null
  setCsrf('')
}

export function latest(kind: string): number | null {
  const years = (session.info?.layers ?? []).filter((l) => l.kind === kind).map((l) => l.epoch)
  return years.length ? Math.max(...years) : null
}
