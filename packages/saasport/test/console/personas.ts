import { expect } from "vitest";
import type { BrowserTest } from "./browser.js";

/** Signs in through the sign-in page's persona picker and lands where the persona starts. */
export async function signInAs(browser: BrowserTest, displayName: string): Promise<void> {
  const { page } = browser;
  await browser.open("/console/sign-in");
  await page.getByRole("button", { name: `Sign in as ${displayName}` }).click();
  await page.waitForURL(
    (url) => url.pathname.startsWith("/console/") && !url.pathname.startsWith("/console/sign-in"),
  );
  expect(await page.locator(".who").textContent()).toContain(displayName);
}

/** The text of the page's h1. */
export async function heading(browser: BrowserTest): Promise<string> {
  return ((await browser.page.locator("h1").textContent()) ?? "").trim();
}

/** The value shown for a term of a facts list (`<dt>Seats</dt><dd>12</dd>`). */
export function fact(browser: BrowserTest, term: string) {
  return browser.page.locator(`dl.facts dt:text-is("${term}") + dd`);
}
