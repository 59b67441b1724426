// The header's notifications and the chat ring.
export default {
  en: {
    notifications: {
      title: "Notifications",
      label: "Notifications | Notifications, {count} unread | Notifications, {count} unread",
      markAll: "Mark all read",
      empty: "Nothing new. Mentions, assignments and new chats show up here.",
      failed: "Notifications could not be loaded.",
      open: "Open",
      someone: "Someone",
      kind: {
        mention: "{name} mentioned you",
        assignment: "{name} assigned you a ticket",
        new_chat: "New chat from {name}",
      },
      ring: { on: "Chat sound on", off: "Chat sound off", label: "Ring for new chats" },
    },
  },
  "zh-CN": {
    notifications: {
      title: "通知",
      label: "通知 | 通知，{count} 条未读 | 通知，{count} 条未读",
      markAll: "全部标为已读",
      empty: "暂无新通知。提及、分配和新聊天都会显示在这里。",
      failed: "无法加载通知。",
      open: "打开",
      someone: "有人",
      kind: {
        mention: "{name} 提到了你",
        assignment: "{name} 给你分配了一个工单",
        new_chat: "{name} 发起了新聊天",
      },
      ring: { on: "聊天提示音已开启", off: "聊天提示音已关闭", label: "新聊天时响铃" },
    },
  },
};
