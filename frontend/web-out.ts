// Where `npm run build` writes: the Python package's supportdesk/web/, so that a wheel carries
// the built pages and no Node.js is needed at run time. $SUPPORTDESK_WEB_OUT overrides it (the
// tests build a private copy of frontend/ into a folder of their own).
const packageWeb = new URL("../supportdesk/web/", import.meta.url).pathname;

export const webOut = (part: string): string =>
  `${(process.env.SUPPORTDESK_WEB_OUT ?? packageWeb).replace(/\/$/, "")}/${part}`;
