/*
 * Marks links to the page being shown with aria-current="page".
 *
 * The same header and category links appear on every page, and pages are
 * static files, so the browser marks the current one: screen readers announce
 * it and the stylesheet underlines it. Without JavaScript nothing changes.
 */
(() => {
  "use strict";

  const here = location.pathname;
  for (const link of document.querySelectorAll("header a[href], nav a[href]")) {
    const target = new URL(link.href, location.href);
    if (target.origin === location.origin && target.pathname === here && !target.hash) {
      link.setAttribute("aria-current", "page");
    }
  }
})();
