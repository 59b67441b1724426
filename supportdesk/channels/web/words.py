"""Every word the help center's pages say, in each desk locale side by side.

One small catalogue rather than Flask-Babel (docs/decisions.md, "Help center words"): the
pages say a few dozen things, both languages are read and reviewed together here, and a
test fails on a key one language lacks. Templates call ``t("key", name=...)``; a
placeholder is ``{name}`` (``str.format``), filled with escaped values by Jinja.
"""

from __future__ import annotations

from typing import Any

from supportdesk.customers.language import DESK_LOCALES

WORDS: dict[str, dict[str, str]] = {
    "site_name": {"en": "Help Center", "zh-CN": "帮助中心"},
    "skip_to_content": {"en": "Skip to content", "zh-CN": "跳到正文"},
    "language": {"en": "Language", "zh-CN": "语言"},
    "language_name": {"en": "English", "zh-CN": "简体中文"},
    "home_heading": {"en": "How can we help?", "zh-CN": "我们能帮您什么？"},
    "home_description": {
        "en": "Answers to common questions, guides and how-tos. Search or browse by topic.",
        "zh-CN": "常见问题解答、使用指南与操作说明。可搜索，也可按主题浏览。",
    },
    "search_label": {"en": "Search the help center", "zh-CN": "搜索帮助中心"},
    "search_placeholder": {"en": "Search for answers…", "zh-CN": "搜索答案…"},
    "search_button": {"en": "Search", "zh-CN": "搜索"},
    "suggestions": {"en": "Suggested articles", "zh-CN": "推荐文章"},
    "top_articles": {"en": "Popular articles", "zh-CN": "热门文章"},
    "categories": {"en": "Browse by topic", "zh-CN": "按主题浏览"},
    "no_articles": {"en": "No articles here yet.", "zh-CN": "这里还没有文章。"},
    "other_articles": {"en": "Other articles", "zh-CN": "其他文章"},
    "breadcrumb": {"en": "Breadcrumb", "zh-CN": "导航路径"},
    "search_title": {"en": "Search results for “{q}”", "zh-CN": "“{q}”的搜索结果"},
    "search_empty_title": {"en": "Search", "zh-CN": "搜索"},
    "results_count": {"en": "{count} results", "zh-CN": "共 {count} 条结果"},
    "no_results": {
        "en": "We found nothing for “{q}”.",
        "zh-CN": "没有找到与“{q}”相关的内容。",
    },
    "no_results_help": {
        "en": "Try other words, or send us your question and we'll answer by e-mail.",
        "zh-CN": "换个说法试试，或者把问题发给我们，我们会通过电子邮件回复您。",
    },
    "updated": {"en": "Updated {date}", "zh-CN": "更新于 {date}"},
    "related": {"en": "Related articles", "zh-CN": "相关文章"},
    "helpful_question": {"en": "Was this helpful?", "zh-CN": "这篇文章对您有帮助吗？"},
    "yes": {"en": "Yes", "zh-CN": "有帮助"},
    "no": {"en": "No", "zh-CN": "没有帮助"},
    "voted_yes": {
        "en": "You found this helpful. Thank you!",
        "zh-CN": "您认为这篇文章有帮助，谢谢！",
    },
    "voted_no": {
        "en": "You found this not helpful. Thank you for telling us.",
        "zh-CN": "您认为这篇文章没有帮助，感谢您的反馈。",
    },
    "change_vote": {
        "en": "Changed your mind? Choose the other answer: your vote is replaced.",
        "zh-CN": "改变主意了？选择另一个答案即可替换您的投票。",
    },
    "helpful_counts": {
        "en": "{helpful} of {total} readers found this helpful",
        "zh-CN": "{total} 位读者中有 {helpful} 位认为有帮助",
    },
    "comment_label": {
        "en": "What was missing or wrong? (optional)",
        "zh-CN": "缺少了什么，或者哪里不对？（选填）",
    },
    "comment_send": {"en": "Send comment", "zh-CN": "提交意见"},
    "comment_saved": {"en": "Your comment was saved.", "zh-CN": "您的意见已保存。"},
    "vote_failed": {
        "en": "Your vote could not be saved. Please try again.",
        "zh-CN": "投票未能保存，请重试。",
    },
    "still_need_help": {"en": "Still need help?", "zh-CN": "仍然需要帮助？"},
    "still_need_help_text": {
        "en": "Tell us what you were looking for and our team will answer by e-mail.",
        "zh-CN": "告诉我们您想找什么，我们的团队会通过电子邮件回复您。",
    },
    "contact_us": {"en": "Contact support", "zh-CN": "联系客服"},
    "leave_blank": {"en": "Leave this field empty", "zh-CN": "此项请留空"},
    "request_title": {"en": "Submit a request", "zh-CN": "提交请求"},
    "request_intro": {
        "en": "Describe your question and we'll reply to your e-mail address.",
        "zh-CN": "请描述您的问题，我们会回复到您的电子邮箱。",
    },
    "request_about": {"en": "About the article: {title}", "zh-CN": "关于文章：{title}"},
    "request_subject_about": {"en": "Question about “{title}”", "zh-CN": "关于“{title}”的问题"},
    "name_label": {"en": "Your name", "zh-CN": "您的姓名"},
    "email_label": {"en": "Your e-mail address", "zh-CN": "您的电子邮箱"},
    "email_hint": {
        "en": "We'll send our answer here.",
        "zh-CN": "我们会把回复发送到这个地址。",
    },
    "subject_label": {"en": "Subject", "zh-CN": "主题"},
    "body_label": {"en": "Description", "zh-CN": "问题描述"},
    "body_hint": {
        "en": "Order numbers, what you tried and what happened help us answer faster.",
        "zh-CN": "请附上订单号、您尝试过的操作及结果，便于我们更快答复。",
    },
    "maybe_answers": {
        "en": "These articles may answer your question:",
        "zh-CN": "以下文章也许能解答您的问题：",
    },
    "request_send": {"en": "Send request", "zh-CN": "提交请求"},
    "request_errors": {
        "en": "Please correct the fields marked below.",
        "zh-CN": "请修改下面标出的内容。",
    },
    "required": {"en": "This field is required.", "zh-CN": "此项为必填项。"},
    "email_invalid": {
        "en": "Give an e-mail address such as name@example.com.",
        "zh-CN": "请填写有效的电子邮箱地址，例如 name@example.com。",
    },
    "files_label": {"en": "Attachments (optional)", "zh-CN": "附件（选填）"},
    "files_hint": {
        "en": "Up to {count} files, {size} in all: screenshots, a receipt.",
        "zh-CN": "最多 {count} 个文件，合计不超过 {size}，例如截图或收据。",
    },
    "files_invalid": {
        "en": "Attach up to {count} files, {size} in all.",
        "zh-CN": "最多可附 {count} 个文件，合计不超过 {size}。",
    },
    "too_fast": {
        "en": "You've sent too many requests. Please try again later.",
        "zh-CN": "您提交的请求过多，请稍后再试。",
    },
    "request_sent_title": {"en": "Request received", "zh-CN": "请求已收到"},
    "request_sent_text": {
        "en": "Thank you. Your request number is {ref}. We'll answer by e-mail; "
        "mention the number if you write to us about it.",
        "zh-CN": "谢谢！您的请求编号是 {ref}。我们会通过电子邮件回复；"
        "如需就此联系我们，请注明该编号。",
    },
    "back_home": {"en": "Back to the help center", "zh-CN": "返回帮助中心"},
    "not_found_title": {"en": "Page not found", "zh-CN": "页面未找到"},
    "not_found_text": {
        "en": "This page does not exist or is no longer published.",
        "zh-CN": "该页面不存在或已不再公开。",
    },
    # the customer portal (portal_*.py, templates/help/portal*.html)
    "nav_sign_in": {"en": "Sign in", "zh-CN": "登录"},
    "nav_my_requests": {"en": "My requests", "zh-CN": "我的请求"},
    "portal_sign_in_title": {"en": "Sign in to see your requests", "zh-CN": "登录查看您的请求"},
    "portal_sign_in_intro": {
        "en": "Enter your e-mail address and we'll send you a link to sign in. "
        "No password needed: you'll see every request you've made, by e-mail, chat, "
        "phone or here, and can reply to them.",
        "zh-CN": "输入您的电子邮箱，我们会向您发送登录链接，无需密码。"
        "登录后可以查看您通过电子邮件、在线聊天、电话或本站提交的所有请求，并直接回复。",
    },
    "portal_email_label": {"en": "E-mail address", "zh-CN": "电子邮箱"},
    "portal_send_link": {"en": "Send me a sign-in link", "zh-CN": "发送登录链接"},
    "portal_sent_title": {"en": "Check your inbox", "zh-CN": "请查收邮件"},
    "portal_sent_text": {
        "en": "We've sent a sign-in link to {email}. It works once, within {minutes} minutes.",
        "zh-CN": "我们已向 {email} 发送登录链接。链接仅可使用一次，{minutes} 分钟内有效。",
    },
    "portal_sent_any": {
        "en": "We've sent you a sign-in link. It works once, within {minutes} minutes.",
        "zh-CN": "我们已向您发送登录链接。链接仅可使用一次，{minutes} 分钟内有效。",
    },
    "portal_sent_hint": {
        "en": "Nothing after a few minutes? Look in your spam folder, or send a new link.",
        "zh-CN": "几分钟后仍未收到？请检查垃圾邮件文件夹，或重新发送链接。",
    },
    "portal_send_again": {"en": "Send a new link", "zh-CN": "重新发送链接"},
    "portal_too_fast": {
        "en": "Too many sign-in links were asked for from here. Please try again later.",
        "zh-CN": "此处请求的登录链接过多，请稍后再试。",
    },
    "portal_confirm_title": {"en": "Sign in to the help center", "zh-CN": "登录帮助中心"},
    "portal_confirm_text": {
        "en": "Press the button to sign in as {email}.",
        "zh-CN": "点击下方按钮，以 {email} 的身份登录。",
    },
    "portal_confirm_again": {
        "en": "Your browser's session changed before you pressed the button. "
        "Press it again to sign in.",
        "zh-CN": "在您点击按钮之前，浏览器会话已发生变化。请再次点击以登录。",
    },
    "portal_sign_in_button": {"en": "Sign in", "zh-CN": "登录"},
    "portal_link_used_title": {
        "en": "This sign-in link can no longer be used",
        "zh-CN": "此登录链接已失效",
    },
    "portal_link_used_text": {
        "en": "A sign-in link works once, within {minutes} minutes: this one was used "
        "already or has expired. Send yourself a new one below.",
        "zh-CN": "登录链接仅可使用一次，且 {minutes} 分钟内有效：此链接已被使用或已过期。"
        "请在下方重新发送一个新链接。",
    },
    "portal_signed_in_as": {"en": "Signed in as {email}", "zh-CN": "已登录：{email}"},
    "portal_sign_out": {"en": "Sign out", "zh-CN": "退出登录"},
    "portal_signed_out": {"en": "You have signed out.", "zh-CN": "您已退出登录。"},
    "portal_new_request": {"en": "New request", "zh-CN": "提交新请求"},
    "portal_no_requests": {
        "en": "You have no requests yet. Ask us anything: we'll answer here and by e-mail.",
        "zh-CN": "您还没有任何请求。有任何问题都可以告诉我们，我们会在这里并通过电子邮件回复您。",
    },
    "portal_older": {"en": "Older requests", "zh-CN": "更早的请求"},
    "portal_newest": {"en": "Back to the newest", "zh-CN": "返回最新请求"},
    "portal_status": {"en": "Status", "zh-CN": "状态"},
    "portal_opened": {"en": "Opened {date} by {channel}", "zh-CN": "{date} 通过{channel}提交"},
    "portal_last_activity": {"en": "Last activity {date}", "zh-CN": "最近更新 {date}"},
    "status_new": {"en": "Received", "zh-CN": "已受理"},
    "status_open": {"en": "In progress", "zh-CN": "处理中"},
    "status_pending": {"en": "Awaiting your reply", "zh-CN": "等待您的回复"},
    "status_on_hold": {"en": "In progress", "zh-CN": "处理中"},
    "status_solved": {"en": "Solved", "zh-CN": "已解决"},
    "status_closed": {"en": "Closed", "zh-CN": "已关闭"},
    "channel_email": {"en": "e-mail", "zh-CN": "电子邮件"},
    "channel_chat": {"en": "chat", "zh-CN": "在线聊天"},
    "channel_phone": {"en": "phone", "zh-CN": "电话"},
    "channel_web": {"en": "the help center", "zh-CN": "帮助中心"},
    "channel_system": {"en": "the desk", "zh-CN": "系统"},
    "portal_conversation": {"en": "Conversation", "zh-CN": "对话记录"},
    "portal_you": {"en": "You", "zh-CN": "您"},
    "portal_call_inbound": {"en": "You called us", "zh-CN": "您致电了我们"},
    "portal_call_outbound": {"en": "We called you", "zh-CN": "我们致电了您"},
    "portal_call_minutes": {"en": "{minutes} min", "zh-CN": "{minutes} 分钟"},
    "portal_attachments": {"en": "Attachments", "zh-CN": "附件"},
    "portal_reply_heading": {"en": "Reply", "zh-CN": "回复"},
    "portal_reply_label": {"en": "Your reply", "zh-CN": "您的回复"},
    "portal_reply_send": {"en": "Send reply", "zh-CN": "发送回复"},
    "portal_reply_sent": {"en": "Your reply was sent.", "zh-CN": "您的回复已发送。"},
    "portal_reply_reopens": {
        "en": "This request is solved. Writing again reopens it.",
        "zh-CN": "此请求已解决。再次回复将重新打开它。",
    },
    "portal_reply_follow_up": {
        "en": "This request is closed. Your reply starts a new request that follows it.",
        "zh-CN": "此请求已关闭。您的回复将创建一个新的后续请求。",
    },
    "portal_back": {"en": "All my requests", "zh-CN": "全部请求"},
    "portal_request_signed_in": {
        "en": "Signed in as {email}: our answer goes to this address and shows in My requests.",
        "zh-CN": "已登录：{email}。我们的回复会发送到此地址，并显示在“我的请求”中。",
    },
    "portal_session_changed": {
        "en": "Your session changed meanwhile (you signed in or out). "
        "Check the form and send it again.",
        "zh-CN": "会话已发生变化（您登录或退出了）。请检查表单后重新提交。",
    },
}


def t(locale: str, key: str, **values: Any) -> str:
    """``key``'s words in ``locale`` (the desk's first locale for any other), filled in."""
    words = WORDS[key]
    text = words.get(locale) or words[DESK_LOCALES[0]]
    return text.format(**values) if values else text
