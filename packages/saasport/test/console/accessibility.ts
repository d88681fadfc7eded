/**
 * A basic accessibility audit, run in the page after every screenshot (no extra dependency): the page
 * has a language, a title, one h1 and one main landmark; ids are unique; every form control has a
 * label; images have alt text; links and buttons have names; and visible text meets WCAG AA contrast
 * (4.5:1, or 3:1 for large text) against its effective background. It answers a list of problems.
 *
 * It is a string so that the test code needs no DOM types; `page.evaluate` runs it as an expression.
 */
export const accessibilityAudit = String.raw`(() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const name = el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return el.tagName.toLowerCase() + id + name + (text ? ' "' + text + '"' : "");
  };
  if (!document.documentElement.lang) problems.push("<html> has no lang");
  if (!document.title.trim()) problems.push("the page has no title");
  const h1s = document.querySelectorAll("h1").length;
  if (h1s !== 1) problems.push("the page has " + h1s + " h1 elements");
  const mains = document.querySelectorAll("main, [role=main]").length;
  if (mains !== 1) problems.push("the page has " + mains + " main landmarks");
  const ids = new Map();
  for (const el of document.querySelectorAll("[id]")) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  for (const [id, count] of ids) if (count > 1) problems.push("id " + id + " is used " + count + " times");
  const named = (el) =>
    (el.getAttribute("aria-label") || "").trim() !== "" ||
    (el.getAttribute("aria-labelledby") || "").split(/\s+/).some((id) => id && document.getElementById(id));
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type)) continue;
    if ((el.labels && el.labels.length > 0) || named(el) || el.getAttribute("title")) continue;
    problems.push("form control without a label: " + describe(el));
  }
  for (const el of document.querySelectorAll("img")) {
    if (!el.hasAttribute("alt")) problems.push("image without alt: " + (el.getAttribute("src") || ""));
  }
  for (const el of document.querySelectorAll("a[href], button")) {
    const text = (el.textContent || "").trim();
    const imageAlt = Array.from(el.querySelectorAll("img[alt]")).some((img) => img.alt.trim() !== "");
    if (!text && !named(el) && !imageAlt) problems.push("link or button without a name: " + el.outerHTML.slice(0, 80));
  }

  const parse = (value) => {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(value);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : undefined;
  };
  const blend = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color && color[3] > 0) {
        layers.push(color);
        if (color[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = blend(layer, result);
    return result;
  };
  const luminance = (rgb) => {
    const channel = (c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || seen.has(el) || !node.textContent.trim()) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || style.display === "none" || box.width <= 1 || box.height <= 1) continue;
    if (box.bottom < 0 || el.closest(".visually-hidden, .skip-link")) continue;
    const bg = background(el);
    const fg = parse(style.color);
    if (!fg) continue;
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const found = ratio(blend(fg, bg), bg);
    if (found < needed) problems.push("contrast " + found.toFixed(2) + ":1 (needs " + needed + ") on " + describe(el));
  }
  return problems;
})()`;

/** True when the page is wider than the window (it would scroll sideways). */
export const scrollsSideways = "document.documentElement.scrollWidth > window.innerWidth";
