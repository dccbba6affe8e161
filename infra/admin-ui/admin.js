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
      for (const part of ['allowance', 'purchased', 'held', 'creditLimit', 'debt', 'available']) cell(row, parts[part], { number: true, part });
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
    fillSelect($('credit-bucket'), Object.keys(account.buckets), $('credit-bucket').value || 'credits');
    if (!$('usage-from').value) {
      // The last two weeks, to the end of today (UTC): what an operator usually asks first.
      const today = new Date();
      const day = (offset) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset))
        .toISOString().slice(0, 10);
      for (const [from, to] of [['usage-from', 'usage-to'], ['history-from', 'history-to']]) {
        $(from).value = day(-13);
        $(to).value = day(1);
      }
    }
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

  // ---- usage over time: an SVG drawn here (no library, no CDN: the page works offline)

  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#3a5bd9', '#e07b39', '#2e9e6a', '#b8448f', '#7a6bd1', '#c9a227', '#4aa3c8', '#8c564b'];

  function svg(name, attributes, text) {
    const el = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function accountPath(suffix) {
    return '/admin/accounts/' + encodeURIComponent(state.account.accountId) + suffix;
  }

  /** Draws {"intervals":[{"start","buckets":{b:{consumed,...}}}]}: consumed per interval, stacked by bucket. */
  function drawUsage(report) {
    const chart = $('usage-chart');
    chart.replaceChildren();
    const intervals = report.intervals;
    const buckets = [...new Set(intervals.flatMap((i) => Object.keys(i.buckets)))].sort();
    const color = (bucket) => COLORS[buckets.indexOf(bucket) % COLORS.length];
    const totals = intervals.map((i) => Object.values(i.buckets).reduce((sum, b) => sum + b.consumed, 0));
    const max = Math.max(1, ...totals);
    const left = 48; const right = 868; const top = 14; const bottom = 222;
    const width = (right - left) / Math.max(1, intervals.length);
    chart.appendChild(svg('line', { class: 'axis', x1: left, y1: bottom, x2: right, y2: bottom }));
    chart.appendChild(svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: bottom }));
    chart.appendChild(svg('text', { x: left - 6, y: top + 4, 'text-anchor': 'end' }, String(max)));
    chart.appendChild(svg('text', { x: left - 6, y: bottom, 'text-anchor': 'end' }, '0'));
    const labelEvery = Math.max(1, Math.ceil(intervals.length / 8));
    intervals.forEach((interval, index) => {
      let y = bottom;
      const x = left + index * width;
      for (const bucket of buckets) {
        const usage = interval.buckets[bucket];
        if (!usage || usage.consumed <= 0) continue;
        const height = (usage.consumed / max) * (bottom - top);
        y -= height;
        const bar = svg('rect', { x: x + width * 0.15, y, width: Math.max(1, width * 0.7), height, fill: color(bucket),
          'data-start': interval.start, 'data-bucket': bucket, 'data-consumed': usage.consumed });
        const ops = Object.entries(usage.byOperation).map(([op, n]) => op + ' ' + n).join(', ');
        bar.appendChild(svg('title', {}, interval.start + ' ' + bucket + ': ' + usage.consumed + ' consumed'
          + (ops ? ' (' + ops + ')' : '') + ', ' + usage.refunded + ' refunded, ' + usage.granted + ' granted, '
          + usage.purchased + ' purchased'));
        chart.appendChild(bar);
      }
      if (index % labelEvery === 0) {
        const label = report.granularity === 'hour' ? interval.start.slice(5, 13).replace('T', ' ') + 'h' : interval.start.slice(5, 10);
        chart.appendChild(svg('text', { x: x + width / 2, y: bottom + 16, 'text-anchor': 'middle' }, label));
      }
    });
    chart.dataset.intervals = String(intervals.length);
    chart.dataset.total = String(totals.reduce((a, b) => a + b, 0));
    const legend = $('usage-legend');
    legend.replaceChildren();
    for (const bucket of buckets) {
      const li = document.createElement('li');
      const swatch = svg('svg', { width: 12, height: 12 });
      swatch.appendChild(svg('rect', { width: 12, height: 12, fill: color(bucket) }));
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(bucket));
      legend.appendChild(li);
    }
    const sum = (field) => intervals.reduce((all, i) => all + Object.values(i.buckets).reduce((s, b) => s + b[field], 0), 0);
    $('usage-caption').textContent = 'Tokens consumed per ' + report.granularity + ' (UTC), by bucket: ' + sum('consumed')
      + ' consumed, ' + sum('refunded') + ' refunded, ' + sum('granted') + ' granted, ' + sum('purchased') + ' purchased.';
    $('usage').hidden = false;
  }

  async function showUsage() {
    const query = '?from=' + $('usage-from').value + '&to=' + $('usage-to').value + '&granularity=' + $('usage-granularity').value;
    status('Reading usage…', 'busy');
    drawUsage(await call('GET', accountPath('/usage') + query));
    status('Usage of ' + state.account.accountId + ' shown.', 'ok');
  }

  // ---- the ledger over a date range (the export, as JSON Lines), filtered here by type, bucket and operation

  /** The export of the form's range: the raw text of a call that answers CSV or JSON Lines. */
  async function exportText(format) {
    if (!state.token) throw new Error('Paste an admin token first.');
    const path = '/v1/accounts/' + encodeURIComponent(state.account.accountId) + '/transactions/export?from='
      + $('history-from').value + '&to=' + $('history-to').value + '&format=' + format;
    const response = await fetch(state.api + path, { headers: { Authorization: 'Bearer ' + state.token },
      credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try { const p = JSON.parse(text); detail = p.code + ': ' + p.detail; } catch (e) { /* not JSON */ }
      throw new Error(response.status + ' ' + detail);
    }
    return text;
  }

  function keepSelection(select, values) {
    const chosen = select.value;
    fillSelect(select, [''].concat([...values].sort()), chosen);
    select.options[0].textContent = 'any';
  }

  function filterHistory() {
    const want = { type: $('history-type').value, bucket: $('history-bucket').value, operation: $('history-operation').value };
    let shown = 0;
    const rows = [...$('history').tBodies[0].rows];
    for (const row of rows) {
      const match = Object.entries(want).every(([key, value]) => !value || row.dataset[key] === value);
      row.hidden = !match;
      if (match) shown += 1;
    }
    $('history-count').textContent = shown + ' of ' + rows.length + ' entries shown (oldest first).';
    $('history').dataset.shown = String(shown);
  }

  async function loadHistory() {
    status('Reading the ledger…', 'busy');
    const entries = (await exportText('jsonl')).split('\n').filter((line) => line).map((line) => JSON.parse(line));
    const body = $('history').tBodies[0];
    body.replaceChildren();
    for (const entry of entries) {
      const row = document.createElement('tr');
      row.dataset.type = entry.type;
      row.dataset.bucket = entry.bucket;
      row.dataset.operation = entry.operation || '';
      cell(row, entry.createdAt); cell(row, entry.type); cell(row, entry.bucket); cell(row, entry.operation || '');
      cell(row, entry.amount, { number: true }); cell(row, entry.description || ''); cell(row, entry.transactionId);
      body.appendChild(row);
    }
    keepSelection($('history-type'), new Set(entries.map((e) => e.type)));
    keepSelection($('history-bucket'), new Set(entries.map((e) => e.bucket)));
    keepSelection($('history-operation'), new Set(entries.map((e) => e.operation).filter((o) => o)));
    filterHistory();
    status(entries.length + ' ledger entries read.', 'ok');
  }

  async function exportCsv() {
    status('Exporting…', 'busy');
    const csv = await exportText('csv');
    const link = $('export-link');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = state.account.accountId + '-' + $('history-from').value + '-' + $('history-to').value + '.csv';
    link.hidden = false;
    link.click();
    status('Exported ' + (csv.split('\r\n').length - 2) + ' entries as CSV.', 'ok');
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
  $('usage-form').addEventListener('submit', guard(showUsage));
  $('history-form').addEventListener('submit', guard(loadHistory));
  $('export-csv').addEventListener('click', guard(exportCsv));
  for (const id of ['history-type', 'history-bucket', 'history-operation']) $(id).addEventListener('change', filterHistory);

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

  $('credit-form').addEventListener('submit', guard(async () => {
    const bucket = $('credit-bucket').value;
    const body = { creditLimit: Number($('credit-limit').value), reason: $('credit-reason').value };
    const set = await call('PUT', '/admin/accounts/' + encodeURIComponent(state.account.accountId) + '/credit-limits/'
      + encodeURIComponent(bucket), body, newKey());
    await reload();
    status('Credit limit of ' + bucket + ': ' + set.creditLimit + '.', 'ok');
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
