import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import { accessibilityAudit } from "./accessibility.js";

/** Debian's chromium; the tests never download a browser. */
export const chromiumPath = "/usr/bin/chromium";

/** Screenshots land here (the CI keeps the folder as an artifact): test-artifacts/console/<test>/NN-step.png. */
export const artifactsRoot = fileURLToPath(new URL("../../../../test-artifacts/console/", import.meta.url));

/**
 * Whether the browser tests can run. Without chromium they are skipped with a loud warning, as the
 * PostgreSQL half of the storage tests is; in CI (CI=true) a missing chromium is a failure instead.
 */
export const browserAvailable = existsSync(chromiumPath);
if (!browserAvailable) {
  if (process.env.CI) {
    throw new Error(
      `${chromiumPath} is missing; in CI the web console's browser tests must run (apt-get install chromium).`,
    );
  }
  const banner = "!".repeat(78);
  console.warn(
    `\n${banner}\n!! ${chromiumPath} is missing: the web console's browser tests DID NOT RUN.\n!! Install Debian's chromium (apt-get install chromium) to run them.\n${banner}\n`,
  );
}

const launchArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A Saasport server with the demo catalog, on SQLite (the browser tests test pages, not storage). */
export function startDemoServer(): Promise<TestServer> {
  return startTestServer({ database: "sqlite", settings: { demoCatalog: true } });
}

export interface BrowserTest {
  page: Page;
  context: BrowserContext;
  /** The server's base URL. */
  url: string;
  /** Opens a path of the server and waits for the page to load. */
  open(path: string): Promise<void>;
  /**
   * Ends a step: saves a full-page screenshot (NN-name.png), runs the accessibility audit on
   * console pages, and fails if the browser reported an error so far.
   */
  step(name: string, options?: { audit?: boolean }): Promise<void>;
  /** Browser errors matching this are expected from now on (a page the test makes fail on purpose). */
  allowConsoleError(pattern: RegExp): void;
  /**
   * A second browser (its own chromium profile, so its own cookies: another persona signed in next to
   * this one). Its steps are numbered with this test's and saved in the same folder; it shares the error
   * check and is closed with this one.
   */
  secondBrowser(): Promise<BrowserTest>;
}

export interface BrowserOptions {
  viewport?: { width: number; height: number };
}

/** A file name from a test or step name: lowercase words joined with dashes, cut at a word. */
function slug(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return words.length <= 90 ? words : words.slice(0, 90).replace(/-[^-]*$/, "");
}

/**
 * Runs a test in a fresh chromium (its own new user-data-dir): collects console errors and page errors
 * and fails the test on any, takes a screenshot per step, and closes the browser whatever happens.
 */
export async function inBrowser(
  server: TestServer,
  testName: string,
  body: (browser: BrowserTest) => Promise<void>,
  options: BrowserOptions = {},
): Promise<void> {
  const shots = join(artifactsRoot, slug(testName));
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  const record = (text: string) => {
    if (!allowed.some((pattern) => pattern.test(text))) errors.push(text);
  };
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") record(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => record(`page error on ${page.url()}: ${error.message}`));
    page.on("crash", () => record(`the page crashed on ${page.url()}`));
  };
  const checkErrors = () => {
    expect(errors, "the browser reported errors").toEqual([]);
  };
  let stepNumber = 0;
  const closers: (() => Promise<void>)[] = [];

  async function launch(): Promise<BrowserTest> {
    const userDataDir = mkdtempSync(join(tmpdir(), "saasport-chromium-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: launchArgs,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    closers.push(async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    });
    // Fail fast with Playwright's own message, well before the test's timeout.
    context.setDefaultTimeout(8_000);
    context.on("page", watch);
    const page = context.pages()[0] ?? (await context.newPage());
    watch(page);
    return {
      page,
      context,
      url: server.url,
      async open(path) {
        await page.goto(`${server.url}${path}`, { waitUntil: "load" });
      },
      async step(name, stepOptions = {}) {
        stepNumber += 1;
        const file = join(shots, `${String(stepNumber).padStart(2, "0")}-${slug(name)}.png`);
        await page.screenshot({ path: file, fullPage: true });
        if (stepOptions.audit !== false) {
          const problems = (await page.evaluate(accessibilityAudit)) as string[];
          expect(problems, `accessibility problems on ${page.url()} (step ${name})`).toEqual([]);
        }
        checkErrors();
      },
      allowConsoleError(pattern) {
        allowed.push(pattern);
      },
      secondBrowser: launch,
    };
  }

  try {
    await body(await launch());
    checkErrors();
  } finally {
    for (const close of closers.reverse()) await close();
  }
}
