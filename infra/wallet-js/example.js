// The example front end of token-wallet.js: balance, a quote before each run, and a purchase offered on a 402.
import { TokenWallet, offerPurchase } from './token-wallet.js';

const $ = (id) => document.getElementById(id);
let wallet;
let backendToken;

async function showBalance() {
  const balance = await wallet.balance();
  $('balance').textContent = Object.entries(balance.buckets)
    .map(([bucket, parts]) => parts.available + ' ' + bucket).join(', ');
  $('balance').dataset.credits = String(balance.buckets.credits ? balance.buckets.credits.available : 0);
}

async function showQuote() {
  const quote = await wallet.quote($('operation').value);
  $('quote').textContent = 'costs ' + quote.cost + ' ' + quote.bucket + (quote.affordable ? '' : ' - more than you have');
  $('quote').dataset.cost = String(quote.cost);
}

/** Your backend's call: here, a debit with the backend's token (a real backend holds that token, not the browser). */
async function backendRuns(operation) {
  const response = await fetch(wallet.baseUrl + '/v1/accounts/' + encodeURIComponent(wallet.accountId) + '/debits', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + backendToken, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ operation }),
  });
  if (response.status === 402) return response;  // the wallet's problem, relayed as is: run() recognizes it
  if (!response.ok) throw new Error(response.status + ' ' + (await response.text()));
  return response.json();
}

$('base-url').value = location.origin;

/** Shows a failure where the user looks, instead of losing it in the console. */
const shown = (handler) => async (event) => {
  event.preventDefault();
  try {
    await handler(event);
  } catch (error) {
    $('result').textContent = error.message;
    $('result').dataset.state = 'error';
  }
};

$('connect').addEventListener('submit', shown(async () => {
  wallet = new TokenWallet({ baseUrl: $('base-url').value, accountId: $('account-id').value, token: $('user-token').value });
  backendToken = $('backend-token').value;
  const catalog = await wallet.catalog();
  // Fixed-price features only: a per-minute one (video) needs its params in the quote.
  $('operation').replaceChildren(...catalog.operations.filter((op) => op.cost !== undefined)
    .map((op) => new Option(op.operation + ' (' + op.cost + ' ' + op.bucket + ')', op.operation)));
  $('operation').value = 'voice_interview';
  $('wallet').hidden = false;
  await showBalance();
  await showQuote();
}));

$('operation').addEventListener('change', showQuote);

$('run-form').addEventListener('submit', shown(async () => {
  const operation = $('operation').value;
  $('offer').replaceChildren();
  const outcome = await wallet.run(operation, {}, () => backendRuns(operation), {
    quoteFirst: $('quote-first').checked,
    onInsufficient: async (need) => {
      $('result').textContent = 'Not enough ' + need.bucket + ': ' + need.required + ' needed, ' + need.available
        + ' available. Buy more:';
      $('result').dataset.state = 'insufficient';
      $('result').dataset.via = $('quote-first').checked ? 'quote' : '402';
      await offerPurchase(wallet, { container: $('offer'), bucket: need.bucket, successUrl: location.href, cancelUrl: location.href });
      return null;
    },
  });
  if (outcome) {
    $('result').textContent = 'Done: ' + outcome.amount + ' ' + outcome.bucket + ' charged (' + outcome.transactionId + ').';
    $('result').dataset.state = 'ran';
  }
  await showBalance();
  await showQuote();
}));
