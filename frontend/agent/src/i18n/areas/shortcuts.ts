// The keyboard shortcuts' words: the overlay (`?`) lists every one (lib/shortcuts.ts).
export default {
  en: {
    shortcuts: {
      title: "Keyboard shortcuts",
      intro: "Single keys work anywhere except while you type in a field.",
      elsewhere: "on another page",
      areas: { global: "Everywhere", inbox: "Inbox", ticket: "Ticket" },
      keys: { Enter: "Enter" },
      actions: {
        help: "Show these shortcuts",
        next: "Next ticket",
        previous: "Previous ticket",
        open: "Open the ticket",
        select: "Select or unselect the ticket",
        search: "Search tickets",
        reply: "Reply",
        note: "Add an internal note",
        solve: "Mark as solved",
      },
    },
  },
  "zh-CN": {
    shortcuts: {
      title: "键盘快捷键",
      intro: "单键快捷键在任何页面都可用，在输入框中输入时除外。",
      elsewhere: "在其他页面",
      areas: { global: "全局", inbox: "收件箱", ticket: "工单" },
      keys: { Enter: "回车" },
      actions: {
        help: "显示快捷键列表",
        next: "下一个工单",
        previous: "上一个工单",
        open: "打开工单",
        select: "选中或取消选中工单",
        search: "搜索工单",
        reply: "回复",
        note: "添加内部备注",
        solve: "标记为已解决",
      },
    },
  },
};
