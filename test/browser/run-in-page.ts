/**
 * Running code inside a page and getting its result back as plain data: thrown errors come back
 * as `{ ok: false, name, message }` (with `cause` names and messages), so a test can assert on
 * the error a browser app would see; console output of the page is collected.
 */
import type { Browser, Page } from "puppeteer-core";

/** The outcome of {@link runInPage}. */
export type PageResult<T> =
  | { ok: true; value: T }
  | { ok: false; name: string; message: string; causes: { name: string; message: string }[] };

/** A page plus what it printed. */
export interface OpenedPage {
  page: Page;
  /** `type: text` of every console message and uncaught error, in order. */
  console: string[];
  close(): Promise<void>;
}

/**
 * Opens `url` in a new page and waits for it to load.
 *
 * @example
 * ```ts
 * const { page, console } = await openPage(browser, site.origin);
 * ```
 */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  const log: string[] = [];
  page.on("console", (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, console: log, close: () => page.close() };
}

/**
 * Runs `fn(arg)` in the page (it is serialised: it may use only `arg` and the page's globals)
 * and returns its JSON-serialisable result, or the error it threw.
 *
 * @example
 * ```ts
 * const r = await runInPage(page, async ({ url }) => (await fetch(url)).status, { url: "http://127.0.0.1:8000/v1/status" });
 * if (r.ok) r.value; // 200
 * ```
 */
export async function runInPage<A, T>(page: Page, fn: (arg: A) => T | Promise<T>, arg: A): Promise<PageResult<Awaited<T>>> {
  const source = fn.toString();
  const evaluate = page.evaluate.bind(page) as unknown as (f: (src: string, a: unknown) => Promise<unknown>, src: string, a: unknown) => Promise<unknown>;
  return evaluate(
    async (src: string, a: unknown) => {
      const describe = (e: unknown) => ({
        name: e instanceof Error ? e.name : typeof e,
        message: e instanceof Error ? e.message : String(e),
      });
      try {
        const f = new Function(`return (${src});`)() as (x: unknown) => unknown;
        return { ok: true as const, value: await f(a) };
      } catch (e) {
        const causes: { name: string; message: string }[] = [];
        let c = e instanceof Error ? e.cause : undefined;
        for (let i = 0; c !== undefined && i < 5; i++) {
          causes.push(describe(c));
          c = c instanceof Error ? c.cause : undefined;
        }
        return { ok: false as const, ...describe(e), causes };
      }
    },
    source,
    arg,
  ) as Promise<PageResult<Awaited<T>>>;
}
