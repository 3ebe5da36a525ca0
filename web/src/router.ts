import { createRouter, createWebHashHistory } from 'vue-router'
import { restore, session } from './session'
import Login from './pages/Login.vue'
import Dashboard from './pages/Dashboard.vue'
import MapPage from './pages/MapPage.vue'
import Runs from './pages/Runs.vue'
import Targets from './pages/Targets.vue'
import Tasks from './pages/Tasks.vue'
import Cases from './pages/Cases.vue'
import CaseDetail from './pages/CaseDetail.vue'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', component: Login, meta: { title: '登录', public: true } },
    { path: '/', component: Dashboard, meta: { title: '总览' } },
    { path: '/map', component: MapPage, meta: { title: '一张图' } },
    { path: '/runs', component: Runs, meta: { title: '变化监测' } },
    { path: '/targets', component: Targets, meta: { title: '保护目标' } },
    { path: '/tasks', component: Tasks, meta: { title: '任务清单' } },
    { path: '/cases', component: Cases, meta: { title: '案件' } },
    { path: '/cases/:number', component: CaseDetail, meta: { title: '案件详情' } },
  ],
})

router.beforeEach(async (to) => {
  if (!session.checked) await restore()
  if (!to.meta.public && !session.user) return { path: '/login', query: { next: to.fullPath } }
  document.title = `${String(to.meta.title ?? '')} · 耕保`
  return true
})
