// The workspace's pages. The inbox is in the first download (it is what an agent opens to);
// every other page is its own chunk, fetched when first visited.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { useSession } from "@/stores/session";
import InboxView from "@/views/InboxView.vue";
import WorkspaceLayout from "@/layouts/WorkspaceLayout.vue";

const routes: RouteRecordRaw[] = [
  { path: "/sign-in", name: "sign-in", component: () => import("@/views/SignInView.vue"), meta: { public: true } },
  {
    path: "/",
    component: WorkspaceLayout,
    children: [
      { path: "", name: "inbox", component: InboxView },
      { path: "tickets/:id(\\d+)", name: "ticket", component: () => import("@/views/TicketView.vue"), props: (r) => ({ id: Number(r.params.id) }) },
      { path: "customers", name: "customers", component: () => import("@/views/CustomersView.vue") },
      { path: "customers/:id(\\d+)", name: "customer", component: () => import("@/views/CustomerView.vue"), props: (r) => ({ id: Number(r.params.id) }) },
      { path: "kb", name: "kb", component: () => import("@/views/KnowledgeView.vue") },
      { path: "kb/review", name: "kb-review", component: () => import("@/views/KbReviewView.vue") },
      { path: "kb/new", name: "kb-new", component: () => import("@/views/ArticleView.vue"), props: () => ({ id: null }) },
      { path: "kb/articles/:id(\\d+)", name: "kb-article", component: () => import("@/views/ArticleView.vue"), props: (r) => ({ id: Number(r.params.id) }) },
      { path: "admin/:section?", name: "admin", component: () => import("@/views/AdminView.vue"), meta: { admin: true } },
    ],
  },
  { path: "/:rest(.*)*", redirect: "/" },
];

export const router = createRouter({ history: createWebHistory("/"), routes });

router.beforeEach(async (to) => {
  const session = useSession();
  if (session.state === "unknown") await session.restore();
  if (to.meta.public) return session.state === "signed-in" && to.name === "sign-in" ? { path: String(to.query.next || "/") } : true;
  if (session.state !== "signed-in") return { name: "sign-in", query: to.fullPath === "/" ? {} : { next: to.fullPath } };
  if (to.meta.admin && !session.isAdmin) return { name: "inbox" };
  return true;
});
