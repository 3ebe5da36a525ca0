// Shared by the case pages: area in 亩 for display and the tag colour of a case state.
// 亩 for display only (1 亩 = 10000/15 m²); the register export carries the declared rounding.
export function mu(m2: string | number): string { return ((Number(m2) * 15) / 10000).toFixed(2) }

export function tagType(s: string): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  if (s === 'closed') return 'success'
  if (s === 'rectifying' || s === 'returned' || s === 'disputed') return 'danger'
  if (s === 'pending_check') return 'warning'
  if (s === 'split') return 'info'
  return 'primary'
}

