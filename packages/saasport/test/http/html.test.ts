import { describe, expect, it } from "vitest";
import { escapeHtml, html, raw } from "../../src/http/html.js";

describe("html template helper", () => {
  it.each([
    ["plain", "plain"],
    ["<b>", "&lt;b&gt;"],
    [`"quoted" & 'single'`, "&quot;quoted&quot; &amp; &#39;single&#39;"],
    ["&amp;", "&amp;amp;"],
    ["", ""],
  ])("escapes %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it("escapes interpolated values, in content and in attributes", () => {
    const name = `<img src=x onerror="alert(1)">`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>',
    );
  });

  it("keeps nested templates and raw markup, renders arrays, and drops null, undefined and false", () => {
    const items = ["a<", "b&"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${raw("<hr>")}${null}${undefined}${false}${0}`.value).toBe(
      "<ul><li>a&lt;</li><li>b&amp;</li></ul><hr>0",
    );
  });

  it("does not trust strings that merely look like markup", () => {
    const looksSafe = { value: "<script>" };
    expect(html`${looksSafe}`.value).toBe("[object Object]");
    expect(html`${"<script>"}`.value).toBe("&lt;script&gt;");
  });
});
