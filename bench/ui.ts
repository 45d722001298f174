/**
 * `npm run bench:ui [-- --records N] [-- --runs N]`: how soon the workbench paints the first rows of a result
 * after Run, in browser mode, on a generated workspace (default 10 million records; the same cached
 * workspace as bench:dashboard, bench-out/dashboard-<N>/).
 *
 * A real `flowscope serve` (dashboard warm-up off, so nothing else runs), Debian's Chromium, the explore
 * page. For each typical query (raw records over a time range, a stats by, sorted top-Ns in each dialect):
 * click Run and time, in the page, until the first row of the new result has been painted. The page's own
 * clock splits that time at the socket: Run to `query.run` sent, the engine's time for the run (its
 * `elapsedMs`: compile, run, first page, measured in the engine), the socket (the rest of the time from
 * sending the request to receiving the answer: framing, serialisation, transport), and the answer received
 * to the rows painted. So the ratio to the engine says what the browser, the socket and the grid add.
 *
 * Each query runs `--runs` times (default 5) and the median is reported; the first run (cold caches) is
 * shown beside it. Runs start from an idle page (the previous result's counts, chart, fields and histogram
 * answered), as when an analyst reads a result before running the next. Target: the first page within
 * 200 ms after Run. The load average is printed, since absolute times on a shared machine are noisy.
 */
import { loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { benchWorkspace } from './bench-workspace';
import { setQuery } from '../tests/e2e/support/query-editor';
import { buildRenderer, launchBrowser, startServe, stop } from './serve-process';

const TARGET_MS = 200;
const arg = (name: string) => process.argv.find((_, i, all) => all[i - 1] === `--${name}`);
const records = Number(arg('records') ?? 10_000_000);
const RUNS = Number(arg('runs') ?? 5);

interface BenchQuery {
  name: string;
  language: string;
  /** The time range picker's preset. */
  range: 'all' | '1h';
  query: string;
}

const QUERIES: BenchQuery[] = [
  {
    name: 'Insights records, last hour',
    language: 'Logs Insights',
    range: '1h',
    query:
      'fields @timestamp, srcAddr, dstAddr, dstPort, action, bytes | filter action = "REJECT" | sort @timestamp desc | limit 1000',
  },
  {
    name: 'Insights stats by',
    language: 'Logs Insights',
    range: 'all',
    query: 'stats count(*) as flows, sum(bytes) as bytes by action, protocol',
  },
  {
    name: 'Insights top 10 sources',
    language: 'Logs Insights',
    range: 'all',
    query: 'stats sum(bytes) as bytes by srcAddr | sort bytes desc | limit 10',
  },
  {
    name: 'Sumo top 10 ports',
    language: 'Sumo Logic',
    range: 'all',
    query: '_sourceCategory=vpc | count by dstport | sort by _count | limit 10',
  },
  {
    name: 'SQL top 10 by bytes',
    language: 'SQL',
    range: 'all',
    query: 'SELECT dstaddr, sum(bytes) AS total FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 10',
  },
];

/** One run, in the page's clock (ms). */
interface Timing {
  clickAt: number;
  sentAt: number;
  receivedAt: number;
  /** The first row is in the page (the app's update after the answer is over). */
  shownAt: number;
  paintedAt: number;
  engineMs: number;
}

/**
 * Installed before the app's scripts: notes when Run is clicked, when `query.run` goes out and its answer
 * comes back (the answer's `elapsedMs` read after the measurement, so it costs the app nothing), and how
 * many calls are in flight, to start each run from an idle page.
 */
function instrument(): void {
  type Call = { sentAt: number; receivedAt?: number; answer?: string };
  const bench = { clickAt: 0, inFlight: 0, lastAnswerAt: 0, runs: new Map<number, Call>(), last: 0 };
  (window as unknown as { __bench: typeof bench }).__bench = bench;
  document.addEventListener(
    'click',
    (e) => {
      if ((e.target as Element | null)?.closest?.('button')?.getAttribute('aria-label') === 'Run')
        bench.clickAt = performance.now();
    },
    true,
  );
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Registered before the app's own listener, so the time is taken before the app parses the answer.
      this.addEventListener('message', (event: MessageEvent) => {
        const at = performance.now();
        const text = String(event.data);
        const id = /^\{"id":(\d+)/.exec(text.slice(0, 24))?.[1];
        if (id === undefined) return;
        bench.inFlight--;
        bench.lastAnswerAt = at;
        const call = bench.runs.get(Number(id));
        if (call) Object.assign(call, { receivedAt: at, answer: text });
      });
    }
    override send(data: string): void {
      bench.inFlight++;
      if (data.includes('"channel":"query.run"')) {
        const id = Number(/"id":(\d+)/.exec(data)?.[1]);
        bench.runs.set(id, { sentAt: performance.now() });
        bench.last = id;
      }
      super.send(data);
    }
  };
}

/**
 * Waits in the page until the first row of run number `after + 1` is in the page (noted by a mutation
 * observer, as the app's update ends) and then painted; answers both times in the page's clock.
 */
function waitForPaintedRow(after: number): Promise<{ shownAt: number; paintedAt: number }> {
  return new Promise((resolve) => {
    const shown = () => {
      const region = document.querySelector('[aria-label="Query results"]');
      const cell = region?.querySelector('[role="row"][aria-rowindex="2"] [role="gridcell"]');
      return Number(region?.getAttribute('data-finished-runs')) > after && !!cell?.textContent?.trim();
    };
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      const shownAt = performance.now();
      // The next animation frame paints it; a message posted in that frame is handled after the paint.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ shownAt, paintedAt: performance.now() });
        channel.port2.postMessage(0);
      });
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

/** Until no call has been in flight for 300 ms: the last result's counts, chart, fields and histogram are in. */
async function idle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const b = (window as unknown as { __bench: { inFlight: number; lastAnswerAt: number } }).__bench;
      return b.inFlight <= 0 && performance.now() - b.lastAnswerAt > 300;
    },
    undefined,
    { timeout: 300_000, polling: 100 },
  );
}

async function timeRun(page: Page): Promise<Timing> {
  await idle(page);
  const before = Number(await page.getByRole('region', { name: 'Query results' }).getAttribute('data-finished-runs'));
  const painted = page.evaluate(waitForPaintedRow, before);
  // Awaited after the click; a failure meanwhile must not end the process before the server is stopped.
  painted.catch(() => undefined);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const { shownAt, paintedAt } = await painted;
  return page.evaluate(
    ([shown, painted]) => {
      const b = (
        window as unknown as {
          __bench: {
            clickAt: number;
            last: number;
            runs: Map<number, { sentAt: number; receivedAt?: number; answer?: string }>;
          };
        }
      ).__bench;
      const call = b.runs.get(b.last)!;
      const engineMs = Number(/"elapsedMs":([\d.e+-]+)/.exec(call.answer ?? '')?.[1] ?? NaN);
      return {
        clickAt: b.clickAt,
        sentAt: call.sentAt,
        receivedAt: call.receivedAt ?? NaN,
        shownAt: shown,
        paintedAt: painted,
        engineMs,
      };
    },
    [shownAt, paintedAt] as const,
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Row {
  name: string;
  total: number;
  first: number;
  engine: number;
  socket: number;
  before: number;
  update: number;
  paint: number;
  rows: string;
}

function summarise(name: string, runs: Timing[], rows: string): Row {
  const m = (f: (t: Timing) => number) => median(runs.map(f));
  return {
    name,
    total: m((t) => t.paintedAt - t.clickAt),
    first: runs[0]!.paintedAt - runs[0]!.clickAt,
    engine: m((t) => t.engineMs),
    socket: m((t) => t.receivedAt - t.sentAt - t.engineMs),
    before: m((t) => t.sentAt - t.clickAt),
    update: m((t) => t.shownAt - t.receivedAt),
    paint: m((t) => t.paintedAt - t.shownAt),
    rows,
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  const { workspace } = await benchWorkspace('dashboard', records);
  buildRenderer();
  const loadBefore = load();
  const browser = await launchBrowser();
  const { url, child } = await startServe(workspace, { FLOWSCOPE_WARM_DASHBOARDS: '0' });
  const rows: Row[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx names functions with an `__name` helper that the page lacks; the page's copy names nothing.
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.addInitScript(instrument);
    await page.goto(url);
    await page.goto(`${url.replace(/\/\?token=.*$/, '')}/#explore`);
    await page.getByRole('region', { name: 'Workspace summary' }).getByText('Records').waitFor();
    for (const q of QUERIES) {
      await page.getByLabel('Time range').selectOption(q.range);
      await page.getByLabel('Language').selectOption({ label: q.language });
      await setQuery(page, q.query);
      const runs: Timing[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await timeRun(page));
      const status = await page.getByRole('region', { name: 'Query results' }).getByRole('status').first().innerText();
      rows.push(summarise(q.name, runs, status.split('·')[0]!.trim()));
    }
  } finally {
    await stop(child);
    await browser.close();
  }
  const pad = (n: number, w = 6) => n.toFixed(0).padStart(w);
  console.log(
    `\nbench:ui — Run to the first rows painted, browser mode, ${records.toLocaleString('en-US')} records, median of ${RUNS} (ms)`,
  );
  console.log(`load average before ${loadBefore}, after ${load()} (2 cores, shared)`);
  console.log('  the total is Run → request sent + engine + socket + page update + paint');
  console.log(
    `  ${'query'.padEnd(28)}  total  first   sent engine socket update  paint   ×engine  target ${TARGET_MS} ms`,
  );
  for (const r of rows) {
    const parts = [r.total, r.first, r.before, r.engine, r.socket, r.update, r.paint].map((n) => pad(n)).join(' ');
    const ratio = `×${(r.total / r.engine).toFixed(2)}`.padStart(9);
    console.log(`  ${r.name.padEnd(28)} ${parts} ${ratio}  ${r.total < TARGET_MS ? 'under' : 'OVER '}   (${r.rows})`);
  }
}

await main();
