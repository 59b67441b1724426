// The agent's own preferences, from the account menu.
export default {
  en: {
    preferences: {
      menu: "Preferences",
      title: "Preferences",
      language: "Language",
      browserLanguage: "Browser language",
      timeZone: "Time zone",
      timeZoneHelp: "Times in the workspace are shown in this zone.",
      timeZoneSearch: "Search, e.g. Shanghai",
      ring: "Ring on incoming chats",
      ringHelp: "Plays a sound when a new chat is waiting.",
      saved: "Preferences saved.",
    },
  },
  "zh-CN": {
    preferences: {
      menu: "偏好设置",
      title: "偏好设置",
      language: "语言",
      browserLanguage: "跟随浏览器",
      timeZone: "时区",
      timeZoneHelp: "工作台中的时间将按此时区显示。",
      timeZoneSearch: "搜索，例如 Shanghai",
      ring: "新聊天响铃提醒",
      ringHelp: "有新的聊天等待接入时播放提示音。",
      saved: "偏好设置已保存。",
    },
  },
};
