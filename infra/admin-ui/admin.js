// Token Wallet admin page: plain JavaScript, no build step. It calls the admin API (wallet:admin) with a token the
// operator pastes; the token lives in this tab's memory only. Everything shown is set with textContent, never as
// HTML, so nothing an account holds (an e-mail address, a reason) can run as script here.
'use strict';

(function () {
  const state = { token: null, api: null, account: null, catalog: null };
  const $ = (id) => document.getElementById(id);
  // A fresh Idempotency-Key per click: a retry of the same request is answered, not applied twice.
  const newKey = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : 'ui-' + Date.now() + '-' + Math.random().toString(36).slice(2));

  function status(text, kind) {
    const el = $('status');
    el.textContent = text;
    el.dataset.state = kind;
  }

  function cell(row, text, opts) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (opts && opts.number) td.className = 'number';
    if (opts && opts.part) td.dataset.part = opts.part;
    row.appendChild(td);
    return td;
  }

  /** One call of the API: JSON in and out; a problem+json answer becomes an Error with its detail and code. */
  async function call(method, path, body, idempotencyKey) {
    if (!state.token) throw new Error('Paste an admin token first.');
    const headers = { Authorization: 'Bearer ' + state.token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const response = await fetch(state.api + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!response.ok) {
      const detail = json && (json.detail || json.message) ? (json.detail || json.message) : text;
      const error = new Error(response.status + (json && json.code ? ' ' + json.code : '') + ': ' + detail);
      error.status = response.status;
      throw error;
    }
    return json;
  }

  function fillSelect(select, values, selected) {
    select.replaceChildren();
    for (const value of values) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      if (value === selected) option.selected = true;
      select.appendChild(option);
    }
  }

  function show(account, how) {
    state.account = account;
    const section = $('account');
    section.hidden = false;
    section.dataset.accountId = account.accountId;
    section.dataset.lookup = how;
    section.dataset.version = String(account.version);
    $('account-id').textContent = account.accountId;
    $('account-email').textContent = account.email || '—';
    $('account-plan').textContent = account.plan;
    $('account-period').textContent = account.period + ' (ends ' + account.periodEndsAt + ')';
    const billing = account.billing || {};
    $('account-customer').textContent = billing.stripeCustomerId || '—';
    $('account-subscription').textContent = billing.subscription
      ? billing.subscription.plan + ' (' + billing.subscription.status + ', ' + billing.subscription.id + ')' : '—';
    $('account-flags').textContent = (billing.flags || []).length ? billing.flags.join(', ') : 'none';

    const balances = $('balances').tBodies[0];
    balances.replaceChildren();
    for (const [bucket, parts] of Object.entries(account.buckets)) {
      const row = document.createElement('tr');
      row.dataset.bucket = bucket;
      cell(row, bucket);
      for (const part of ['allowance', 'purchased', 'held', 'available']) cell(row, parts[part], { number: true, part });
      balances.appendChild(row);
    }

    showLots(account.accountId);

    const holds = $('holds').tBodies[0];
    holds.replaceChildren();
    for (const hold of account.pendingHolds || []) {
      const row = document.createElement('tr');
      cell(row, hold.holdId); cell(row, hold.bucket); cell(row, hold.amount, { number: true }); cell(row, hold.expiresAt);
      holds.appendChild(row);
    }

    const ledger = $('ledger').tBodies[0];
    ledger.replaceChildren();
    for (const entry of account.latestTransactions || []) {
      const row = document.createElement('tr');
      row.dataset.type = entry.type;
      row.dataset.transactionId = entry.transactionId;
      cell(row, entry.createdAt);
      cell(row, entry.type);
      cell(row, entry.bucket);
      cell(row, entry.amount, { number: true });
      cell(row, entry.description || entry.operation || '');
      cell(row, entry.metadata && entry.metadata.admin ? entry.metadata.admin : '');
      ledger.appendChild(row);
    }

    fillSelect($('grant-bucket'), Object.keys(account.buckets), $('grant-bucket').value || 'credits');
    if (state.catalog) fillSelect($('plan'), state.catalog.plans.map((p) => p.id), account.plan);
  }

  /** The account's lots (a read of its own), each bucket in burn-down order. */
  async function showLots(accountId) {
    const lots = $('lots').tBodies[0];
    lots.replaceChildren();
    try {
      const body = await call('GET', '/v1/accounts/' + encodeURIComponent(accountId) + '/lots');
      if (state.account.accountId !== accountId) return;
      for (const lot of body.items) {
        const row = document.createElement('tr');
        row.dataset.lotId = lot.lotId;
        cell(row, lot.lotId); cell(row, lot.bucket); cell(row, lot.source);
        cell(row, lot.remaining, { number: true }); cell(row, lot.granted, { number: true }); cell(row, lot.priority, { number: true });
        cell(row, lot.expiresAt || 'never'); cell(row, lot.costBasis == null ? '' : lot.costBasis);
        lots.appendChild(row);
      }
    } catch (error) {
      status('Lots: ' + error.message, 'error');
    }
  }

  function showMatches(items) {
    const list = $('matches');
    list.replaceChildren();
    list.hidden = items.length < 2;
    for (const account of items) {
      const li = document.createElement('li');
      li.textContent = account.accountId + ' — ' + (account.email || '') + ' — ' + account.plan;
      li.addEventListener('click', () => show(account, 'pick'));
      list.appendChild(li);
    }
  }

  async function find(query) {
    const text = query.trim();
    status('Looking up ' + text + '…', 'busy');
    let items;
    let how;
    if (text.includes('@')) {
      how = 'email';
      items = (await call('GET', '/admin/accounts?email=' + encodeURIComponent(text))).items;
    } else if (/^cus_[A-Za-z0-9]+$/.test(text)) {
      how = 'stripe';
      items = (await call('GET', '/admin/accounts?stripeCustomerId=' + encodeURIComponent(text))).items;
    } else {
      how = 'id';
      items = [await call('GET', '/admin/accounts/' + encodeURIComponent(text))];
    }
    showMatches(items);
    if (items.length === 0) {
      $('account').hidden = true;
      status('No account found for ' + text + '.', 'error');
      return;
    }
    show(items[0], how);
    status(items.length > 1 ? items.length + ' accounts found; showing the first, pick another below.'
      : 'Account ' + items[0].accountId + ' loaded.', 'ok');
  }

  async function reload() {
    show(await call('GET', '/admin/accounts/' + encodeURIComponent(state.account.accountId)), $('account').dataset.lookup);
  }

  function guard(action) {
    return async (event) => {
      event.preventDefault();
      try {
        await action();
      } catch (error) {
        status(error.message, 'error');
      }
    };
  }

  $('api-url').value = localStorage.getItem('tokenWallet.apiUrl')
    || (location.protocol.startsWith('http') ? location.origin : '');

  $('connect-form').addEventListener('submit', guard(async () => {
    state.api = $('api-url').value.replace(/\/+$/, '');
    state.token = $('token').value.trim();
    localStorage.setItem('tokenWallet.apiUrl', state.api);  // not a secret; the token is never stored
    status('Checking the token…', 'busy');
    state.catalog = await call('GET', '/v1/catalog');
    await call('GET', '/admin/health?limit=1');
    status('Connected to ' + state.api + ' as an admin.', 'ok');
  }));

  $('forget').addEventListener('click', () => {
    state.token = null;
    $('token').value = '';
    $('account').hidden = true;
    status('Token forgotten.', 'idle');
  });

  $('lookup-form').addEventListener('submit', guard(() => find($('lookup').value)));

  $('grant-form').addEventListener('submit', guard(async () => {
    const amount = Number($('grant-amount').value);
    const body = { bucket: $('grant-bucket').value, amount, reason: $('grant-reason').value };
    if ($('grant-expires').value.trim()) body.expiresAt = $('grant-expires').value.trim();
    if ($('grant-priority').value.trim()) body.priority = Number($('grant-priority').value);
    const receipt = await call('POST', '/admin/accounts/' + encodeURIComponent(state.account.accountId) + '/grants',
      body, newKey());
    await reload();
    status('Granted ' + receipt.amount + ' ' + receipt.bucket + ' (' + receipt.transactionId + ').', 'ok');
  }));

  $('plan-form').addEventListener('submit', guard(async () => {
    const body = { plan: $('plan').value, resetAllowance: $('plan-reset').checked };
    if ($('plan-reason').value.trim()) body.reason = $('plan-reason').value.trim();
    const changed = await call('POST', '/admin/accounts/' + encodeURIComponent(state.account.accountId) + '/plan',
      body, newKey());
    await reload();
    status('Plan ' + changed.previousPlan + ' → ' + changed.plan + (changed.resetAllowance ? ', allowance replaced.' : '.'), 'ok');
  }));
}());
