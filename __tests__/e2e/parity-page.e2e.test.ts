/**
 * The parity page in a real browser: headless Chromium (Debian's `chromium` package, driven
 * by playwright-core) opens the page written for a copy of the project's output with drift
 * injected, and the grid must show every cell in its state. A screenshot is saved in
 * e2e-artifacts/ (CI uploads that folder).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { runParity } from "../../parity/main";
import { CAPABILITIES } from "../../parity/registry";
import { copyWith, synthProject } from "../parity/support";

const CHROMIUM = process.env.SIROS_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = resolve(__dirname, "..", "..", "e2e-artifacts");

let browser: BrowserContext;
let page: Page;
const scratch: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Chromium (Debian: apt-get install chromium; .ci/run does it) or set SIROS_CHROMIUM to a Chromium or Chrome binary`);
  }
  const project = synthProject();
  // One undeclared drift: state encryption removed on Azure in prod.
  const drifted = copyWith(project, { "azure-prod": (doc) => delete doc.terraform.backend.s3.encrypt });
  const out = mkdtempSync(join(tmpdir(), "parity-page-"));
  const profile = mkdtempSync(join(tmpdir(), "parity-chromium-"));
  scratch.push(project, drifted, out, profile);
  const html = join(out, "parity.html");
  expect(runParity(["--dir", drifted, "--html", html]).exitCode).toBe(0);
  // A new, empty profile: nothing of a previous run (or of a person's browser) is read.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(pathToFileURL(html).href);
});

afterAll(async () => {
  await browser?.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Runs in the page: the colour the stylesheet gave the cell (the project's tsconfig has no DOM types). */
const backgroundOf = (e: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor;

const states = (selector: string) =>
  page.$$eval(selector, (cells) => cells.map((c) => `${c.getAttribute("data-property")} ${c.getAttribute("data-environment")} ${c.getAttribute("data-cloud")}: ${c.getAttribute("data-state")}`));

test("renders one grid per capability with a cell per property, environment and cloud", async () => {
  expect(await page.$$eval("section[data-capability]", (s) => s.map((e) => e.getAttribute("data-capability")))).toEqual(CAPABILITIES.map((c) => c.id));
  for (const capability of CAPABILITIES) {
    const cells = await page.$$(`section[data-capability="${capability.id}"] td.cell`);
    expect(cells).toHaveLength(capability.properties.length * 20);
  }
});

test("shows the injected drift, and only it, as drift, with the reason and the address on hover", async () => {
  expect(await states('td.cell[data-state="drift"]')).toEqual(["encrypted prod azure: drift"]);
  const cell = page.locator('td.cell[data-state="drift"]');
  expect(await cell.textContent()).toBe("no");
  expect(await cell.getAttribute("title")).toBe("undeclared drift\nthe other clouds of prod have yes\nterraform.backend.s3");
  // Painted as drift, not only labelled: the stylesheet's red.
  expect(await cell.evaluate(backgroundOf)).toBe("rgb(249, 201, 196)");
  // The detail row under the grid is open because it lists drift.
  expect(await page.locator('section[data-capability="state"] details').getAttribute("open")).toBe("");
});

test("colours declared differences and gaps where the environments and the modules declare them", async () => {
  expect(await states('section[data-capability="network"] td.cell[data-property="nat"]:not([data-state="equal"])')).toEqual([
    "nat dev aws: declared",
    "nat dev azure: declared",
    "nat dev gcp: declared",
    "nat dev oci: gap",
    "nat dev ibm: gap",
    "nat staging oci: gap",
    "nat prod oci: gap",
    "nat dr oci: gap",
  ]);
  const declared = page.locator('td.cell[data-property="flowLogRetentionDays"][data-environment="staging"][data-cloud="gcp"]');
  expect(await declared.getAttribute("data-state")).toBe("declared");
  expect(await declared.evaluate(backgroundOf)).toBe("rgb(221, 232, 251)");
  expect(await page.locator("#legend").textContent()).toMatch(/^equal: \d+declared difference: 124cloud gap: 112undeclared drift: 1$/);
});

test("saves a screenshot of the page", async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, "parity.png");
  const shot = await page.screenshot({ path: file, fullPage: true });
  expect(shot.length).toBeGreaterThan(10_000);
});
