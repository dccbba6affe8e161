// Drives token-wallet.js's example page in headless Chromium against a running local runner, as a user would: see
// the balance and a quote, run a feature (the backend charges), run it again without enough tokens (the quote says
// so), read the balance as it was before the run (asOf), run it skipping the quote (the backend's 402 says so), and buy a package (a Checkout Session; Stripe's page is
// stood in for here). Run by infra/local's WalletModuleBrowserTest. Prints one JSON line; exits non-zero on a mismatch.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE_URL = env('BASE_URL');
const SHOTS = env('SCREENSHOT_DIR');
assert.ok(BASE_URL.startsWith('http://127.0.0.1:'), 'the test only talks to 127.0.0.1');
mkdirSync(SHOTS, { recursive: true });

const seen = {};
const browser = await chromium.launch({ executablePath: env('CHROMIUM'), headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'], timeout: 60_000 });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // Stripe's hosted checkout page, stood in for: nothing leaves this machine.
  await page.route('https://checkout.stripe.com/**', (route) => route.fulfill({ contentType: 'text/html',
    body: '<!doctype html><title>Stripe Checkout (stand-in)</title><h1>Stripe Checkout (stand-in)</h1>' }));
  page.on('request', (request) => assert.ok(request.url().startsWith(BASE_URL) || request.url().startsWith('https://checkout.stripe.com/'),
    `a request left the local runner: ${request.url()}`));
  const shot = async (name) => page.screenshot({ path: join(SHOTS, name), fullPage: true });

  await page.goto(`${BASE_URL}/wallet-js/example.html`);
  assert.equal(await page.inputValue('#base-url'), BASE_URL);
  await page.fill('#account-id', env('ACCOUNT_ID'));
  await page.fill('#user-token', env('USER_TOKEN'));
  await page.fill('#backend-token', env('BACKEND_TOKEN'));
  await page.click('#connect-button');

  // The balance, and the cost of the chosen feature before it runs.
  await page.locator('#quote[data-cost]').waitFor();
  seen.balance = await page.textContent('#balance');
  seen.quote = await page.textContent('#quote');
  assert.equal(await page.getAttribute('#balance', 'data-credits'), '10');
  assert.equal(seen.quote, 'costs 10 credits');
  await shot('01-balance-and-quote.png');

  // Run it: the backend charges 10.
  const beforeRun = new Date();
  await page.click('#run');
  await page.locator('#result[data-state="ran"]').waitFor();
  await page.locator('#balance[data-credits="0"]').waitFor();
  seen.ran = await page.textContent('#result');

  // The balance as it was just before the run, read with the user's token (asOf), beside the balance now.
  seen.asOf = await page.evaluate(async ({ base, account, token, at }) => {
    const { TokenWallet, WalletError } = await import(base + '/wallet-js/token-wallet.js');
    const wallet = new TokenWallet({ baseUrl: base, accountId: account, token });
    const then = await wallet.balance({ asOf: new Date(at) });
    const now = await wallet.balance();
    let future = null;
    try { await wallet.balance({ asOf: '2999-01-01T00:00:00Z' }); } catch (e) { future = e instanceof WalletError ? e.status : String(e); }
    return { asOf: then.asOf, then: then.buckets.credits.available, now: now.buckets.credits.available, nowAsOf: now.asOf ?? null, future };
  }, { base: BASE_URL, account: env('ACCOUNT_ID'), token: env('USER_TOKEN'), at: beforeRun.toISOString() });
  assert.deepEqual(seen.asOf, { asOf: beforeRun.toISOString(), then: 10, now: 0, nowAsOf: null, future: 400 });

  // Again: the quote says it cannot be afforded, and packages are offered.
  await page.click('#run');
  await page.locator('#result[data-state="insufficient"][data-via="quote"]').waitFor();
  await page.locator('#offer li').first().waitFor();
  seen.offerAfterQuote = await page.locator('#offer li').evaluateAll((items) => items.map((i) => i.dataset.packageId));
  assert.ok(seen.offerAfterQuote.includes('starter') && !seen.offerAfterQuote.includes('token_pack_100'), JSON.stringify(seen.offerAfterQuote));

  // Skipping the quote: the backend's 402 insufficient_tokens leads to the same offer.
  await page.uncheck('#quote-first');
  await page.click('#run');
  await page.locator('#result[data-state="insufficient"][data-via="402"]').waitFor();
  await page.locator('#offer li').first().waitFor();
  seen.after402 = await page.textContent('#result');
  assert.match(seen.after402, /Not enough credits: 10 needed, 0 available/);
  await shot('02-offer-after-402.png');

  // The 402 problem as the wallet sends it carries the bucket's credit limit and the shortfall beyond it.
  seen.parsedNeed = await page.evaluate(async (base) => {
    const { insufficientTokens } = await import(base + '/wallet-js/token-wallet.js');
    const problem = { type: 'about:blank', status: 402, code: 'insufficient_tokens', bucket: 'credits', required: 75,
      available: 70, creditLimit: 100, shortfall: 5 };
    return insufficientTokens(new Response(JSON.stringify(problem), { status: 402, headers: { 'content-type': 'application/problem+json' } }));
  }, BASE_URL);
  assert.deepEqual(seen.parsedNeed, { bucket: 'credits', required: 75, available: 70, creditLimit: 100, shortfall: 5 });

  // Buy the starter package: a Checkout Session through the wallet, then Stripe's page.
  await Promise.all([page.waitForURL('https://checkout.stripe.com/**'), page.click('#offer li[data-package-id="starter"] button')]);
  seen.checkoutUrl = page.url();
  assert.equal(seen.checkoutUrl, 'https://checkout.stripe.com/c/pay/cs_local');

  assert.deepEqual(pageErrors, [], 'no script error on the page');
  console.log(JSON.stringify({ ok: true, seen }));
} finally {
  await browser.close();
}
