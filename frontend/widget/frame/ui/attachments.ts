// A message's files: a link per file (a photo's thumbnail inside it, so that a tap on the picture
// saves it too). The desk serves them only with the visitor's token in a header, so each is
// fetched here and handed over as a blob URL.
import type { Attachment } from "../protocol";
import { h } from "./dom";

export type FetchFile = (url: string) => Promise<Response>;

/** Raster images only: an SVG could carry script, and the desk never vouches for a file's type. */
const THUMBNAIL_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function blobUrl(fetchFile: FetchFile, attachment: Attachment): Promise<string> {
  const response = await fetchFile(attachment.url);
  if (!response.ok) throw new Error(`${response.status}`);
  return URL.createObjectURL(await response.blob());
}

function fileLink(attachment: Attachment, fetchFile: FetchFile): HTMLElement {
  const link = h("a", { href: "#", class: "file", download: attachment.filename },
    attachment.filename, h("span", { class: "size" }, ` (${readableSize(attachment.size)})`));
  link.addEventListener("click", (event) => {
    if (link.getAttribute("href") !== "#") return; // fetched before: the browser saves it
    event.preventDefault();
    blobUrl(fetchFile, attachment).then((url) => {
      link.setAttribute("href", url);
      link.click();
    }, () => link.classList.add("file--failed"));
  });
  return link;
}

export function attachmentList(attachments: Attachment[], fetchFile: FetchFile): HTMLElement {
  return h("ul", { class: "files" }, ...attachments.map((attachment) => {
    const link = fileLink(attachment, fetchFile);
    if (THUMBNAIL_TYPES.has(attachment.content_type)) {
      blobUrl(fetchFile, attachment).then(
        (url) => {
          // the link's text names the file: the picture adds nothing to read out
          link.prepend(h("img", { class: "thumbnail", src: url, alt: "" }));
          link.setAttribute("href", url); // fetched once: a click saves these bytes
        },
        () => {}, // the link is still there
      );
    }
    return h("li", {}, link);
  }));
}
