// Token Wallet for the browser: an ES module with no dependencies and no build step, for any front end.
// Served by the local runner at /wallet-js/token-wallet.js; copy it into your app for production.
//
//   import { TokenWallet, offerPurchase } from './token-wallet.js';
//   const wallet = new TokenWallet({ baseUrl, accountId, token: () => session.accessToken });
//   const balance = await wallet.balance();                 // {buckets: {credits: {available, ...}}, ...}
//   const before = await wallet.balance({ asOf: new Date('2026-11-01T00:00:00Z') });  // as the ledger had it then
//   const quote = await wallet.quote('text_interview');     // {cost, bucket, available, affordable}: before running
//   await wallet.run('text_interview', {}, () => callYourBackend(),
//     { onInsufficient: (need) => offerPurchase(wallet, { container, bucket: need.bucket, successUrl, cancelUrl }) });
//
// The token is the user's own JWT with the wallet:read scope: it reads the balance, quotes and buys, never charges.
// Charges happen in your backend (wallet:charge); when it relays the wallet's 402 insufficient_tokens problem, run()
// hands it to onInsufficient, which can offer a package through a Stripe Checkout Session.
'use strict';

/** An answer of the wallet API that is not a success: its HTTP status and its problem+json (RFC 9457) body. */
export class WalletError extends Error {
  constructor(status, problem) {
    super(status + ' ' + (problem && problem.code ? problem.code + ': ' + problem.detail : 'the wallet API failed'));
    this.name = 'WalletError';
    this.status = status;
    this.code = problem ? problem.code : undefined;
    this.problem = problem || {};
  }
}

const newKey = () => (globalThis.crypto && crypto.randomUUID ? crypto.randomUUID()
  : 'tw-' + Date.now() + '-' + Math.random().toString(36).slice(2));

export class TokenWallet {
  /**
   * @param {object} options
   * @param {string} options.baseUrl   the wallet API, e.g. https://abc.execute-api.eu-west-1.amazonaws.com
   * @param {string} options.accountId the user's account (the token's sub)
   * @param {string|function(): (string|Promise<string>)} options.token the user's JWT, or a function that returns a fresh one
   * @param {function} [options.fetch] a fetch implementation (tests); the browser's by default
   */
  constructor({ baseUrl, accountId, token, fetch: fetchImpl }) {
    if (!baseUrl || !accountId || !token) throw new TypeError('baseUrl, accountId and token are required');
    this.baseUrl = String(baseUrl).replace(/\/+$/, '');
    this.accountId = accountId;
    this.token = typeof token === 'function' ? token : () => token;
    this.fetch = fetchImpl || globalThis.fetch.bind(globalThis);
  }

  /** One call: JSON in and out; any answer other than 2xx throws a WalletError with the problem. */
  async call(method, path, body, headers = {}) {
    const all = { Authorization: 'Bearer ' + (await this.token()), ...headers };
    if (body !== undefined) all['Content-Type'] = 'application/json';
    const response = await this.fetch(this.baseUrl + path, {
      method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!response.ok) throw new WalletError(response.status, json);
    return json;
  }

  account(suffix) {
    return '/v1/accounts/' + encodeURIComponent(this.accountId) + suffix;
  }

  /**
   * {accountId, plan, period, periodEndsAt, buckets: {name: {allowance, purchased, held, available}}}; with
   * {asOf} (a Date, or a date-time/date string) the buckets as the ledger had them at that instant, and asOf in the
   * body (a future instant answers 400, one before the account was opened 404).
   */
  balance({ asOf } = {}) {
    const at = asOf instanceof Date ? asOf.toISOString() : asOf;
    return this.call('GET', this.account('/balance' + (at ? '?asOf=' + encodeURIComponent(at) : '')));
  }

  /** What an operation would cost now, and whether the user can afford it; changes nothing. */
  quote(operation, params) {
    return this.call('POST', this.account('/quotes'), params && Object.keys(params).length ? { operation, params } : { operation });
  }

  /** The operations, packages and plans in force. */
  catalog() {
    return this.call('GET', '/v1/catalog');
  }

  /**
   * A Stripe Checkout Session for a package ({packageId}) or a plan ({planId}): {sessionId, url}. Send the user to
   * url. One Idempotency-Key per purchase intent: a retry with the same key gets the same session.
   */
  checkout({ packageId, planId, successUrl, cancelUrl, idempotencyKey = newKey() }) {
    const body = packageId ? { packageId, successUrl, cancelUrl } : { planId, successUrl, cancelUrl };
    return this.call('POST', this.account('/checkout-sessions'), body, { 'Idempotency-Key': idempotencyKey });
  }

  /**
   * Runs {@code work} (your call to your backend, which charges) unless the quote says the user cannot afford it.
   * When the quote says so, or the work fails with the wallet's 402 (a WalletError, or a Response your backend
   * relayed), calls onInsufficient({bucket, required, available}) and returns what it returns; without
   * onInsufficient, throws. {quoteFirst: false} skips the quote and relies on the 402 alone.
   */
  async run(operation, params, work, { onInsufficient, quoteFirst = true } = {}) {
    const insufficient = (need) => {
      if (onInsufficient) return onInsufficient(need);
      throw new WalletError(402, { code: 'insufficient_tokens', detail: 'not enough ' + need.bucket, ...need });
    };
    let quote = null;
    if (quoteFirst) {
      quote = await this.quote(operation, params);
      if (!quote.affordable) return insufficient({ bucket: quote.bucket, required: quote.cost, available: quote.available });
    }
    let result;
    try {
      result = await work(quote);
    } catch (error) {
      const need = await insufficientTokens(error);
      if (need) return insufficient(need);
      throw error;
    }
    const need = await insufficientTokens(result);
    return need ? insufficient(need) : result;
  }
}

/**
 * The wallet's 402 insufficient_tokens in a WalletError or a fetch Response (read from a clone), as
 * {bucket, required, available}, with the bucket's creditLimit and the shortfall beyond it when the wallet sends them
 * (it does since credit limits: a bucket may go below zero down to -creditLimit); null for anything else.
 */
export async function insufficientTokens(answer) {
  if (answer instanceof WalletError) {
    return answer.status === 402 && answer.code === 'insufficient_tokens'
      ? need(answer.problem) : null;
  }
  if (answer && typeof answer.clone === 'function' && answer.status === 402) {
    try {
      const problem = await answer.clone().json();
      if (problem && problem.code === 'insufficient_tokens') {
        return need(problem);
      }
    } catch (e) { /* not the wallet's problem */ }
  }
  return null;
}

function need(problem) {
  const out = { bucket: problem.bucket, required: problem.required, available: problem.available };
  for (const field of ['creditLimit', 'shortfall']) if (typeof problem[field] === 'number') out[field] = problem[field];
  return out;
}

/**
 * Renders, in {@code container}, the packages that add tokens to {@code bucket}, each with a Buy button that opens a
 * Checkout Session and sends the user to it. Text only (never HTML from the API). Resolves with the packages shown.
 */
export async function offerPurchase(wallet, { container, bucket, successUrl, cancelUrl, navigate = (url) => location.assign(url) }) {
  const catalog = await wallet.catalog();
  const packages = catalog.packages.filter((p) => (p.tokens[bucket] || 0) + (p.bonusTokens[bucket] || 0) > 0);
  const doc = container.ownerDocument;
  const list = doc.createElement('ul');
  list.className = 'tw-offer';
  for (const p of packages) {
    const item = doc.createElement('li');
    item.dataset.packageId = p.id;
    const tokens = (p.tokens[bucket] || 0) + (p.bonusTokens[bucket] || 0);
    const label = doc.createElement('span');
    label.textContent = p.name + ': ' + tokens + ' ' + bucket + ' for '
      + new Intl.NumberFormat(undefined, { style: 'currency', currency: p.currency.toUpperCase() }).format(p.priceCents / 100);
    const buy = doc.createElement('button');
    buy.type = 'button';
    buy.textContent = 'Buy';
    buy.addEventListener('click', async () => {
      buy.disabled = true;
      try {
        const session = await wallet.checkout({ packageId: p.id, successUrl, cancelUrl });
        navigate(session.url);
      } catch (error) {
        buy.disabled = false;
        label.textContent += ' (' + error.message + ')';
      }
    });
    item.append(label, ' ', buy);
    list.appendChild(item);
  }
  container.replaceChildren(list);
  return packages;
}
