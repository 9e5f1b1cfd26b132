// Firefox for the end-to-end tests: Debian's firefox-esr driven over WebDriver BiDi by
// puppeteer-core (no geckodriver, no patched build), with the demo build installed as a
// temporary add-on.
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findBrowser } from './browsers';

/** The add-on's id (wxt.config.ts, browser_specific_settings) and the moz-extension:// host we give it. */
const ADDON_ID = 'audit-trail@audit-trail.dev';
export const FIREFOX_EXTENSION_UUID = '2b1c6e4e-6f1d-4d57-9c7e-a0d17e11a001';

export async function launchFirefox(extensionDir: string, downloads: string): Promise<Browser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findBrowser('firefox'),
    headless: true,
    // Lets BiDi navigate a tab to the extension's own pages (moz-extension://), as Chromium's CDP does.
    args: ['--remote-allow-system-access'],
    env: { ...process.env, TZ: 'Europe/Berlin' },
    extraPrefsFirefox: {
      // A fixed host for the add-on's pages, so a test can open them by URL.
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: FIREFOX_EXTENSION_UUID }),
      // downloads.download() saves here without asking.
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
    },
  });
  try {
    await browser.installExtension(path.resolve(extensionDir));
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}

/** Opens one of the extension's pages. The tab moves to the extension's process, which BiDi
 *  does not report as the navigation finishing: wait for the page's own content instead. */
export async function openExtensionPage(browser: Browser, pagePath: string, ready: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`moz-extension://${FIREFOX_EXTENSION_UUID}/${pagePath}`, { timeout: 2_000 }).catch(() => undefined);
  await page.waitForSelector(ready);
  return page;
}
