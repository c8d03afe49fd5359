import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { listen, type Listening } from './serve';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = path.resolve(__dirname, '../../test-artifacts');

/** Debian's chromium; CI installs nothing by hand, so without it the browser tests skip, saying so. */
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard e2e SKIPPED: no browser at ${CHROMIUM} (install it with: apt-get install -y chromium)`);
export const browserTest = hasChromium ? test : test.skip;

export interface DashboardSession {
  h: ApiHarness;
  api: Listening;
  page: Page;
  /** Uncaught errors and console errors of the page's scripts. */
  pageErrors: string[];
  /** Saves a full-page screenshot as test-artifacts/dashboard-<name>.png. */
  shot(name: string): Promise<unknown>;
}

/**
 * The real API stack with the dashboard served at `/`, and a headless chromium; each test gets a
 * fresh browser context, so its own sessionStorage (token) and localStorage (language).
 */
export function useDashboard(): DashboardSession {
  let browser: Browser;
  let context: BrowserContext;
  const session = { pageErrors: [] as string[] } as unknown as DashboardSession;

  beforeAll(async () => {
    if (!hasChromium) return;
    fs.mkdirSync(artifacts, { recursive: true });
    session.h = await startApiHarness();
    session.api = await listen(session.h.app);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);

  beforeEach(async () => {
    if (!hasChromium) return;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // A refused request (401, 409) is logged by the browser as a failed resource; scripts must not fail.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    Object.assign(session, {
      page,
      pageErrors: errors,
      shot: (name: string) => page.screenshot({ path: path.join(artifacts, `dashboard-${name}.png`), fullPage: true }),
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await session.api?.close();
    await session.h?.stop();
  });

  return session;
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.fill('#token-input', token);
  await page.click('#sign-in');
  await page.locator('#sign-out').waitFor();
}

/** Switches the dashboard's language with the picker in the top bar, as a person would. */
export async function chooseLanguage(page: Page, language: 'zh' | 'en'): Promise<void> {
  await page.click(`[data-testid=language] [data-lang=${language}]`);
  await page.waitForFunction(`document.documentElement.lang === '${language === 'zh' ? 'zh-CN' : 'en'}'`);
}

/**
 * Picks an option of an Ant Design select (the element with `selector` is its search input) by the
 * option's `data-value`, as a person picks it from the list it opens.
 */
export async function chooseOption(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector);
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[data-value="${value}"]`).click();
}
