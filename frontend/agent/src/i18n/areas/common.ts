// Words every page uses. Each area file holds both languages side by side, so a missing
// translation shows in review (and in i18n.test.ts, which fails on any key one language lacks).
export default {
  en: {
    app: { name: "Supportdesk" },
    nav: { inbox: "Inbox", customers: "Customers", knowledge: "Knowledge base", admin: "Admin", main: "Main" },
    presence: { online: "Online", away: "Away", label: "Your status", connecting: "Connecting…", offline: "Disconnected: reconnecting…" },
    account: { signOut: "Sign out", language: "Language", menu: "Account" },
    signIn: {
      title: "Sign in to Supportdesk",
      email: "E-mail",
      password: "Password",
      submit: "Sign in",
      expired: "Your session ended. Sign in again; your drafts are kept.",
      failed: "That e-mail and password do not match an active account.",
    },
    common: {
      save: "Save", cancel: "Cancel", delete: "Delete", edit: "Edit", close: "Close", retry: "Retry",
      loading: "Loading…", empty: "Nothing here yet.", search: "Search", none: "None", yes: "Yes", no: "No",
      create: "Create", confirm: "Confirm", more: "Load more", back: "Back", apply: "Apply", clear: "Clear",
    },
    errors: {
      network: "The desk could not be reached. Check your connection and try again.",
      unexpected: "Something went wrong: {detail}",
      notFound: "This no longer exists, or you may not see it.",
      forbidden: "You are not allowed to do that.",
      rateLimited: "Too many requests: wait a moment and try again.",
    },
    channel: { email: "E-mail", chat: "Chat", phone: "Phone", web: "Web form", system: "System" },
    status: { new: "New", open: "Open", pending: "Pending", on_hold: "On hold", solved: "Solved", closed: "Closed" },
    priority: { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" },
    language: { en: "English", "zh-CN": "简体中文" },
  },
  "zh-CN": {
    app: { name: "Supportdesk" },
    nav: { inbox: "收件箱", customers: "客户", knowledge: "知识库", admin: "管理", main: "主导航" },
    presence: { online: "在线", away: "离开", label: "你的状态", connecting: "正在连接…", offline: "连接已断开，正在重连…" },
    account: { signOut: "退出登录", language: "语言", menu: "账户" },
    signIn: {
      title: "登录 Supportdesk",
      email: "电子邮箱",
      password: "密码",
      submit: "登录",
      expired: "会话已结束，请重新登录；你的草稿已保留。",
      failed: "邮箱或密码与任何有效账户都不匹配。",
    },
    common: {
      save: "保存", cancel: "取消", delete: "删除", edit: "编辑", close: "关闭", retry: "重试",
      loading: "加载中…", empty: "这里还没有内容。", search: "搜索", none: "无", yes: "是", no: "否",
      create: "创建", confirm: "确认", more: "加载更多", back: "返回", apply: "应用", clear: "清除",
    },
    errors: {
      network: "无法连接到服务台，请检查网络后重试。",
      unexpected: "出错了：{detail}",
      notFound: "该内容已不存在，或你无权查看。",
      forbidden: "你无权执行此操作。",
      rateLimited: "请求过于频繁，请稍候再试。",
    },
    channel: { email: "邮件", chat: "在线聊天", phone: "电话", web: "网页表单", system: "系统" },
    status: { new: "新建", open: "处理中", pending: "待回复", on_hold: "挂起", solved: "已解决", closed: "已关闭" },
    priority: { low: "低", normal: "普通", high: "高", urgent: "紧急" },
    language: { en: "English", "zh-CN": "简体中文" },
  },
};
