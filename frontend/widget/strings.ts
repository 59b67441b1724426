// Every UI string of the widget, one table per locale. The loader bundles only `loaderStrings`
// (tree-shaken), so its text costs the embed script a few bytes, not the frame's whole table.

export type Locale = "en" | "zh-CN";

/** `zh`, `zh-CN`, `zh-Hans-SG`... -> zh-CN; anything else (or nothing) -> en. */
export function pickLocale(tag: string | null | undefined): Locale {
  return tag && /^zh\b/i.test(tag) ? "zh-CN" : "en";
}

export const loaderStrings = {
  en: {
    open: "Open chat",
    close: "Close chat",
    unread: (n: number) => `Open chat, ${n} unread`,
    panel: "Support chat",
  },
  "zh-CN": {
    open: "打开在线客服",
    close: "关闭在线客服",
    unread: (n: number) => `打开在线客服，${n} 条未读`,
    panel: "在线客服",
  },
} satisfies Record<Locale, Record<string, unknown>>;

const en = {
  title: "Chat with us",
  online: "We're online",
  offline: "We're away right now",
  close: "Close chat",
  conversation: "Conversation",
  empty: "Ask us anything. We usually reply within a few minutes.",
  you: "You",
  agent: "Support",
  reconnecting: "Connection lost. Reconnecting…",
  typing: (name: string) => `${name} is typing…`,
  composer: "Type your message",
  composerHint: "Enter sends, Shift+Enter adds a line.",
  charactersLeft: (n: number) => (n === 1 ? "1 character left" : `${n} characters left`),
  send: "Send",
  sending: "Sending…",
  notSent: "Not sent",
  retry: "Retry",
  retryAfter: (seconds: number) => `Try again in ${seconds} s.`,
  noAnswer: "The desk did not answer. Check your connection and try again.",
  failed: "Something went wrong. Please try again.",
  cancel: "Cancel",
  name: "Name (optional)",
  email: "E-mail",
  message: "Message",
  offlineIntro: "No one is available right now. Leave a message and we'll reply by e-mail.",
  offlineSend: "Send message",
  offlineThanks: (ref: string) =>
    `Thank you! We got your message (reference ${ref}) and will reply by e-mail.`,
  transcript: "E-mail me the transcript",
  transcriptIntro: "We'll send this conversation to your e-mail address.",
  transcriptSend: "Send transcript",
  transcriptSent: "Transcript sent. Check your inbox.",
  verify: "Verify your e-mail",
  verifyIntro:
    "Leave your e-mail so we can reach you. Verify it with a code to see your earlier conversations.",
  sendCode: "Send me a code",
  saveEmail: "Just save it",
  emailSaved: "Thanks, we'll use this address to reach you.",
  codeSent: (email: string) => `We sent a 6-digit code to ${email}.`,
  code: "6-digit code",
  check: "Verify",
  attemptsLeft: (n: number) => `${n} attempts left.`,
  verified: (email: string) => `Verified: ${email}`,
  verifiedDone: "Your e-mail is verified.",
};

export type FrameStrings = typeof en;

export const frameStrings: Record<Locale, FrameStrings> = {
  en,
  "zh-CN": {
    title: "联系我们",
    online: "客服在线",
    offline: "客服暂时不在",
    close: "关闭在线客服",
    conversation: "对话",
    empty: "有什么可以帮您？我们通常几分钟内回复。",
    you: "我",
    agent: "客服",
    reconnecting: "连接已断开，正在重新连接…",
    typing: (name) => `${name} 正在输入…`,
    composer: "输入消息",
    composerHint: "按 Enter 发送，Shift+Enter 换行。",
    charactersLeft: (n) => `还可输入 ${n} 个字`,
    send: "发送",
    sending: "发送中…",
    notSent: "未发送",
    retry: "重试",
    retryAfter: (seconds) => `请 ${seconds} 秒后再试。`,
    noAnswer: "服务器没有响应，请检查网络后重试。",
    failed: "出错了，请重试。",
    cancel: "取消",
    name: "姓名（选填）",
    email: "电子邮箱",
    message: "留言",
    offlineIntro: "客服暂时不在。请留言，我们会通过电子邮件回复您。",
    offlineSend: "提交留言",
    offlineThanks: (ref) => `谢谢！我们已收到您的留言（编号 ${ref}），会通过电子邮件回复您。`,
    transcript: "通过邮件发送聊天记录",
    transcriptIntro: "我们会把这段对话发送到您的邮箱。",
    transcriptSend: "发送聊天记录",
    transcriptSent: "聊天记录已发送，请查收邮件。",
    verify: "验证邮箱",
    verifyIntro: "留下您的邮箱，方便我们联系您。用验证码验证后，可以看到您以前的对话。",
    sendCode: "发送验证码",
    saveEmail: "仅保存邮箱",
    emailSaved: "谢谢，我们会通过这个邮箱联系您。",
    codeSent: (email) => `我们已向 ${email} 发送了 6 位验证码。`,
    code: "6 位验证码",
    check: "验证",
    attemptsLeft: (n) => `还可以尝试 ${n} 次。`,
    verified: (email) => `已验证：${email}`,
    verifiedDone: "您的邮箱已验证。",
  },
};
