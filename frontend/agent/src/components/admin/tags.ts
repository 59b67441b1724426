// The colours of the admin tables' state tags: Naive UI's tinted tags are too faint for small
// text (axe: contrast under 4.5:1), so each pairs a light fill with a dark text of its hue.
export const TAG_COLORS = {
  info: { color: "#eef3fd", textColor: "#1b46a6" },
  success: { color: "#e8f5ec", textColor: "#1d6b3a" },
  warning: { color: "#fdf1e2", textColor: "#8a4a0c" },
  neutral: { color: "#f0f2f5", textColor: "#3d434d" },
  danger: { color: "#fdecec", textColor: "#9b1c1c" },
} as const;
