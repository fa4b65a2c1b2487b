/**
 * A real headless Chromium for end-to-end tests, from the npm registry alone:
 * `@sparticuz/chromium` ships the browser binary inside the package (nothing
 * is downloaded at install or run time) and `playwright-core` drives it.
 */
import sparticuz from "npm:@sparticuz/chromium@153.0.0";
import { type Browser, chromium } from "npm:playwright-core@1.65.1";

export type { Browser, Page } from "npm:playwright-core@1.65.1";

/**
 * Launch headless Chromium. Background networking is off: this machine's
 * network is closed, and Chromium would otherwise keep trying.
 */
export async function launchBrowser(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = await sparticuz.executablePath();
  } catch (error) {
    throw new Error(`@sparticuz/chromium could not unpack its browser: ${error}`);
  }
  // Under load, single-process headless Chromium now and then dies while it
  // starts (SIGSEGV before the first page): that is the browser, not the
  // code under test, so a launch is tried three times.
  for (let attempt = 1;; attempt++) {
    try {
      return await chromium.launch({
        executablePath,
        headless: true,
        args: [...sparticuz.args, "--disable-background-networking", "--disable-component-update"],
      });
    } catch (error) {
      // The bundled Chromium uses the system's NSS and expat libraries.
      const missing = /error while loading shared libraries: (\S+?):/.exec(String(error))?.[1];
      if (missing !== undefined) {
        throw new Error(
          `the Chromium of @sparticuz/chromium needs ${missing} from the system ` +
            "(Debian: apt-get install libnss3 libexpat1)",
        );
      }
      if (attempt === 3) throw error;
    }
  }
}

/** A rectangle on the page, as `locator.boundingBox()` gives it. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two boxes on the page overlap. */
export function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
    b.y < a.y + a.height;
}
