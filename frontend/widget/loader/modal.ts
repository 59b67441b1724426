// On a phone the panel covers the whole page, so it is modal: while it is open the page behind
// neither scrolls nor takes the focus nor reaches assistive technology (inert), and the visitor
// is put back where they were when it closes.

/** When the panel is full screen: narrow screens, and phones held sideways (launcher.ts CSS). */
export const FULL_SCREEN = "(max-width:480px),(max-height:480px)";

/** Holds the host page still behind `panel` (inside `keep`, our own element); returns the release. */
export function holdPage(keep: Element, panel: HTMLElement): () => void {
  const html = document.documentElement;
  const body = document.body;
  const x = window.scrollX;
  const y = window.scrollY;
  const styles = [html, body].map((element) => element.getAttribute("style"));
  const madeInert = Array.from(body.children).filter((element) => element !== keep && !element.hasAttribute("inert"));
  const anchor = madeInert.find((element) => element.getClientRects().length);
  const was = anchor ? anchor.getBoundingClientRect().top : 0;
  html.style.overflow = "hidden";
  // A fixed body is what stops iOS Safari scrolling the page under a swipe; top/left keep the
  // page looking where it was (corrected by how far the first element moved: margins that
  // collapsed through the body no longer do once it is fixed).
  Object.assign(body.style, { position: "fixed", top: -y + "px", left: -x + "px", width: "100%" });
  if (anchor) body.style.top = -y + was - anchor.getBoundingClientRect().top + "px";
  madeInert.forEach((element) => element.setAttribute("inert", ""));

  // The on-screen keyboard shrinks only the visual viewport: fit the panel to what is visible,
  // so the frame's composer stays above the keyboard.
  const viewport = window.visualViewport;
  const fit = () => {
    if (!viewport) return;
    panel.style.top = viewport.offsetTop + "px";
    panel.style.height = viewport.height + "px";
  };
  fit();
  viewport?.addEventListener("resize", fit);
  viewport?.addEventListener("scroll", fit);

  return () => {
    viewport?.removeEventListener("resize", fit);
    viewport?.removeEventListener("scroll", fit);
    panel.style.top = panel.style.height = "";
    madeInert.forEach((element) => element.removeAttribute("inert"));
    [html, body].forEach((element, i) => {
      const style = styles[i];
      if (style === null) element.removeAttribute("style");
      else element.setAttribute("style", style);
    });
    window.scrollTo({ left: x, top: y, behavior: "instant" });
  };
}
