import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dlqTopicName, TOPICS } from '@expo/schemas';
import { launchChromium, testNames, type Browser, type Page } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import type { DlqReport } from '../../src/routes/v1/dlq.ts';
import { createAnalyticsTopics, OPS_TOKEN, ops, setupAnalytics, waitForConsumed, type TestAnalytics } from '../helper.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

describe("the dashboard's dead-letter panel in Chromium", () => {
  let t: TestAnalytics;
  let app: ServiceApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let scansDlq: string;
  const row = (topic: string) => `#dlq-rows tr[data-topic="${topic}"]`;

  const poison = async (key: string) => {
    await t.producer.sendRaw(t.topics.scans.name, [{ key, value: `not a scan record ${key}`, headers: { type: 'scan.accepted' } }]);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
  };

  beforeAll(async () => {
    const names = testNames('dlq-dashboard');
    const topics = await createAnalyticsTopics(names, 1);
    t = await setupAnalytics('dlq-dashboard', { TOPIC_PREFIX: names.topicPrefix }, { names, topics });
    scansDlq = dlqTopicName(t.topics.scans.name);
    app = await t.instance();
    await poison('badge-poison-1');
    // Until the service's own look at the broker sees it (what the page is then shown).
    const waiting = async () => (await app.inject({ url: '/v1/dlq', headers: ops })).json<DlqReport>().topics.find((c) => c.topic === scansDlq)?.waiting;
    await vi.waitFor(
      async () => {
        if ((await waiting()) !== 1) throw new Error(`${scansDlq} did not count the dead-lettered record within 20 s`);
      },
      { timeout: 20_000, interval: 500 },
    );
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the waiting count of a topic with a dead-lettered record, highlighted, with the commands to show and replay it', async () => {
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', OPS_TOKEN);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector(`${row(scansDlq)}.waiting`, { timeout: 10_000 });
    expect(await page.textContent(`${row(scansDlq)}.waiting .waiting-count`)).toBe('1');
    expect(await page.textContent(`${row(scansDlq)}.waiting .held-count`)).toBe('1');
    expect(await page.locator(`${row(scansDlq)}.hint code`).allTextContents()).toEqual([`pnpm dlq show ${scansDlq}`, `pnpm dlq replay ${scansDlq}`]);
    expect(await page.textContent('#dlq-status')).toContain('Records wait');
    // Every other topic of the platform is listed, none highlighted.
    expect(await page.locator('#dlq-rows tr:not(.hint)').count()).toBe(Object.keys(TOPICS).length);
    expect(await page.locator('#dlq-rows tr.waiting').count()).toBe(1);
    const leadsDlq = dlqTopicName(`${t.names.topicPrefix}${TOPICS.leads.name}`);
    expect(await page.textContent(`${row(leadsDlq)} .waiting-count`)).toBe('0');
    expect(await page.locator(`${row(leadsDlq)}.hint`).count()).toBe(0);
  });

  it('shows a record dead-lettered while the page is open at its next poll', async () => {
    await poison('badge-poison-2');
    await page.waitForSelector(`${row(scansDlq)}.waiting .waiting-count[data-waiting="2"]`, { timeout: 30_000 });
    expect(await page.textContent(`${row(scansDlq)}.waiting .held-count`)).toBe('2');
  });

  it('labels the panel in Chinese, and has every label in both languages', async () => {
    const missing = await page.evaluate(`import('/dashboard/assets/i18n.js').then(({ LABELS }) => {
      const keys = (o) => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((s) => k + '.' + s) : [k]));
      const [en, zh] = [keys(LABELS.en), keys(LABELS.zh)];
      return [...en.filter((k) => !zh.includes(k)), ...zh.filter((k) => !en.includes(k))];
    })`);
    expect(missing).toEqual([]);
    await page.click('#lang');
    expect(await page.textContent('#dead-letters h2')).toBe('死信');
    expect(await page.locator('#dead-letters th').allTextContents()).toEqual(['主题', '待处理', '保留']);
    expect(await page.textContent('#dlq-status')).toContain('有记录待处理');
    expect(await page.textContent(`${row(scansDlq)}.hint td`)).toContain('运行：');
    mkdirSync(artifacts, { recursive: true });
    await page.locator('#dead-letters').screenshot({ path: `${artifacts}dashboard-dead-letters-zh.png` });
    await page.click('#lang');
    expect(await page.textContent('#dead-letters h2')).toBe('Dead letters');
    await page.locator('#dead-letters').screenshot({ path: `${artifacts}dashboard-dead-letters-en.png` });
  });
});
