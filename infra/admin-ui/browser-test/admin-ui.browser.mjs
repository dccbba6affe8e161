// Drives the admin page in headless Chromium against a running local runner, as an operator would: look up an
// account by id and by e-mail address, read its balances, plan and ledger, grant tokens, reset it to a plan.
// Run by infra/local's AdminUiBrowserTest, which starts the runner, seeds the account and checks the API after.
// Prints one JSON line with what it saw; exits non-zero on the first thing that is not as expected.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE_URL = env('BASE_URL');
const ADMIN_TOKEN = env('ADMIN_TOKEN');
const CHROMIUM = env('CHROMIUM');
const SHOTS = env('SCREENSHOT_DIR');
const ACCOUNT = env('ACCOUNT_ID');
const EMAIL = env('ACCOUNT_EMAIL');
assert.ok(BASE_URL.startsWith('http://127.0.0.1:'), 'the test only talks to 127.0.0.1');
mkdirSync(SHOTS, { recursive: true });

const seen = {};
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Root in a container: Chromium's sandbox needs user namespaces it may not have; /dev/shm may be small.
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  timeout: 60_000,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('request', (request) => assert.ok(request.url().startsWith(BASE_URL) || request.url().startsWith('blob:'),
    `a request left the local runner: ${request.url()}`));

  const cellOf = (bucket, part) => page.locator(`#balances tr[data-bucket="${bucket}"] td[data-part="${part}"]`);
  const shot = async (name) => page.screenshot({ path: join(SHOTS, name), fullPage: true });

  // The page, from the runner's own origin: the API URL defaults to it.
  await page.goto(`${BASE_URL}/admin-ui/`);
  assert.equal(await page.inputValue('#api-url'), BASE_URL);

  // A token that is not an admin's is refused, and the page says so.
  await page.fill('#token', 'not-a-token');
  await page.click('#connect');
  await page.locator('#status[data-state="error"]').waitFor();
  seen.badToken = await page.textContent('#status');
  assert.match(seen.badToken, /401/);

  await page.fill('#token', ADMIN_TOKEN);
  await page.click('#connect');
  await page.locator('#status[data-state="ok"]').waitFor();

  // By id: balances, plan, ledger.
  await page.fill('#lookup', ACCOUNT);
  await page.click('#find');
  await page.locator(`#account[data-account-id="${ACCOUNT}"][data-lookup="id"]`).waitFor();
  seen.plan = await page.textContent('#account-plan');
  seen.creditsAvailable = await cellOf('credits', 'available').textContent();
  seen.ledgerTypes = await page.locator('#ledger tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.type));
  assert.equal(seen.plan, 'free');
  assert.equal(seen.creditsAvailable, '7');
  assert.deepEqual(seen.ledgerTypes, ['debit', 'signup_grant']);
  await shot('01-account-by-id.png');

  // By e-mail address, typed in another case.
  await page.fill('#lookup', EMAIL.toUpperCase());
  await page.click('#find');
  await page.locator(`#account[data-account-id="${ACCOUNT}"][data-lookup="email"]`).waitFor();
  seen.email = await page.textContent('#account-email');
  await shot('02-account-by-email.png');

  // Grant 25 credits with a reason: the balance and the ledger show it, with the admin who did it.
  await page.selectOption('#grant-bucket', 'credits');
  await page.fill('#grant-amount', '25');
  await page.fill('#grant-reason', 'browser test: goodwill after outage');
  await page.fill('#grant-priority', '10');
  await page.click('#grant');
  await page.locator('#balances tr[data-bucket="credits"] td[data-part="available"]', { hasText: /^32$/ }).waitFor();
  // The granted lot (priority 10) leads the lots table; the signup's tokens follow as the unlotted purchased lot.
  await page.locator('#lots tbody tr td', { hasText: /^purchased:credits$/ }).waitFor();
  seen.lots = await page.locator('#lots tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.lotId));
  assert.match(seen.lots[0], /^lot_tx_/, JSON.stringify(seen.lots));
  assert.ok(seen.lots.includes('purchased:credits'), JSON.stringify(seen.lots));
  const granted = page.locator('#ledger tbody tr').first();
  seen.grantRow = await granted.locator('td').allTextContents();
  assert.equal(await granted.getAttribute('data-type'), 'grant');
  assert.ok(seen.grantRow.includes('browser test: goodwill after outage'), JSON.stringify(seen.grantRow));
  assert.ok(seen.grantRow.includes('ops'), JSON.stringify(seen.grantRow));
  await shot('03-granted.png');

  // A credit limit of 40 on credits (issue 15): the balance shows it and available grows by it; the ledger has the entry.
  await page.selectOption('#credit-bucket', 'credits');
  await page.fill('#credit-limit', '40');
  await page.fill('#credit-reason', 'browser test: trial credit');
  await page.click('#set-credit-limit');
  await page.locator('#balances tr[data-bucket="credits"] td[data-part="available"]', { hasText: /^72$/ }).waitFor();
  seen.creditLimit = await cellOf('credits', 'creditLimit').textContent();
  seen.debt = await cellOf('credits', 'debt').textContent();
  assert.equal(seen.creditLimit, '40');
  assert.equal(seen.debt, '0');
  assert.equal(await page.locator('#ledger tbody tr').first().getAttribute('data-type'), 'credit_limit');

  // Reset to the solo plan, replacing the allowance now.
  await page.selectOption('#plan', 'solo');
  await page.check('#plan-reset');
  await page.fill('#plan-reason', 'browser test: upgrade');
  await page.click('#change-plan');
  await page.locator('#account-plan', { hasText: /^solo$/ }).waitFor();
  seen.mockupAllowance = await cellOf('mockup', 'allowance').textContent();
  assert.equal(seen.mockupAllowance, '3');
  seen.status = await page.textContent('#status');
  await shot('04-reset-to-plan.png');

  // Usage over time (issue 17): the last two weeks per day, drawn as SVG by the page itself.
  await page.click('#show-usage');
  await page.locator('#usage-chart[data-total]').waitFor();
  seen.usageIntervals = await page.getAttribute('#usage-chart', 'data-intervals');
  seen.usageTotal = await page.getAttribute('#usage-chart', 'data-total');
  seen.usageBars = await page.locator('#usage-chart rect[data-consumed]').evaluateAll((bars) =>
    bars.map((b) => [b.dataset.bucket, Number(b.dataset.consumed)]));
  seen.usageCaption = await page.textContent('#usage-caption');
  assert.equal(seen.usageIntervals, '14');
  assert.equal(seen.usageTotal, '3');
  assert.deepEqual(seen.usageBars, [['credits', 3]]);
  assert.match(seen.usageCaption, /3 consumed, 0 refunded, \d+ granted, 0 purchased/);
  await page.locator('#usage').screenshot({ path: join(SHOTS, '05-usage-chart.png') });

  // The ledger over the same range, filtered by type and by bucket in the page.
  await page.click('#load-history');
  await page.locator('#history[data-shown]').waitFor();
  seen.historyRows = await page.locator('#history tbody tr').count();
  assert.ok(seen.historyRows >= 4, `the ledger has the signup grant, the debit, the grant and the plan reset: ${seen.historyRows}`);
  await page.selectOption('#history-type', 'debit');
  seen.debitRows = await page.locator('#history tbody tr:not([hidden])').evaluateAll((rows) =>
    rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.equal(seen.debitRows.length, 1);
  assert.equal(seen.debitRows[0][4], '-3');
  await page.selectOption('#history-type', '');
  await page.selectOption('#history-bucket', 'mockup');
  seen.mockupTypes = await page.locator('#history tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => r.dataset.type));
  assert.ok(seen.mockupTypes.length >= 1 && seen.mockupTypes.every((t) => t === 'plan_reset'), JSON.stringify(seen.mockupTypes));
  await page.selectOption('#history-bucket', '');
  await shot('06-ledger-filtered.png');
  // For the README: the table alone (the full page shows the pasted token).
  await page.locator('#history').screenshot({ path: join(SHOTS, '07-ledger-table.png') });

  // The export link: the same range as CSV, downloaded through the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = readFileSync(await download.path(), 'utf8');
  seen.exportName = download.suggestedFilename();
  assert.ok(csv.startsWith('transactionId,createdAt,type,bucket,amount,allowanceDelta,purchasedDelta,heldDelta,operation,reference,description,metadata,allowanceAfter,purchasedAfter,heldAfter,debtAfter\r\n'));
  assert.match(csv, /,debit,credits,-3,/);
  assert.equal(csv.trimEnd().split('\r\n').length - 1, seen.historyRows);

  assert.deepEqual(pageErrors, [], 'no script error on the page');
  console.log(JSON.stringify({ ok: true, seen }));
} finally {
  await browser.close();
}
