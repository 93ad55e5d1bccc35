/*
 * The Lode pool dashboard (plain browser JavaScript, no build step).
 *
 * Reads the pool's read API (docs/api.md) relative to this page, so it works
 * at http://pool:port/dashboard/ and behind a reverse proxy that mounts the
 * pool under a prefix. Refreshes every REFRESH_MS. Every value that comes
 * from miners (worker names, addresses) is written with textContent, never
 * as HTML. Chart.js (UMD, global `Chart`) draws the hashrate history.
 *
 * Hooks for tests: #hashrate-chart (Chart.getChart(canvas)), rows of
 * #workers tbody with data-worker, #lookup-result[data-state] (idle, loading,
 * found, not-found, error), #status[data-state] (loading, ok, error).
 */
(function () {
  'use strict';

  /** ms between refreshes */
  var REFRESH_MS = 5000;
  /** workers shown in the table (the API sorts them by hashrate) */
  var WORKER_LIMIT = 200;
  /** blocks shown */
  var BLOCK_LIMIT = 20;

  var state = { coin: '', coins: [], address: '', chart: null, timer: 0, busy: false };

  function $(id) {
    return document.getElementById(id);
  }

  /** GET a path of the read API (relative to /dashboard/) as JSON; rejects with the API's error text */
  function api(path) {
    return fetch(new URL('../' + path, window.location.href), { cache: 'no-store', headers: { accept: 'application/json' } }).then(function (res) {
      return res.json().then(
        function (body) {
          if (!res.ok) {
            var err = new Error((body && body.error) || 'HTTP ' + res.status);
            err.status = res.status;
            throw err;
          }
          return body;
        },
        function () {
          var err = new Error('HTTP ' + res.status + ': not JSON');
          err.status = res.status;
          throw err;
        },
      );
    });
  }

  var HASHRATE_UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s', 'ZH/s'];

  /** 1234567 -> "1.23 MH/s" (hashrate in H/s, SI prefixes) */
  function formatHashrate(h) {
    if (typeof h !== 'number' || !isFinite(h)) return '–';
    var i = 0;
    while (Math.abs(h) >= 1000 && i < HASHRATE_UNITS.length - 1) {
      h /= 1000;
      i++;
    }
    return (i === 0 ? h.toFixed(h >= 100 || h === 0 ? 0 : 1) : h.toFixed(2)) + ' ' + HASHRATE_UNITS[i];
  }

  function formatCount(n) {
    return typeof n === 'number' && isFinite(n) ? n.toLocaleString('en-US') : '–';
  }

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }

  /** ms since epoch -> "HH:MM:SS" local time */
  function clock(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  /** ms since epoch -> "12 s ago" */
  function ago(ms) {
    if (typeof ms !== 'number' || !(ms > 0)) return 'never';
    var s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 90) return s + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 172800) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  }

  /** {"low-difficulty": 2, "duplicate": 1} -> "low-difficulty 2, duplicate 1" */
  function reasons(rejected) {
    var parts = Object.keys(rejected || {})
      .sort()
      .map(function (r) {
        return r + ' ' + rejected[r];
      });
    return parts.length === 0 ? '–' : parts.join(', ');
  }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  /** replaces the rows of a table body; `empty` is shown in one row when there are none */
  function fillRows(tbody, items, columns, build, empty) {
    var rows = document.createDocumentFragment();
    if (items.length === 0) {
      var tr = document.createElement('tr');
      tr.className = 'empty';
      var td = cell(tr, empty);
      td.colSpan = columns;
      rows.appendChild(tr);
    }
    items.forEach(function (item) {
      var row = document.createElement('tr');
      build(row, item);
      rows.appendChild(row);
    });
    tbody.replaceChildren(rows);
  }

  function workerRow(row, w) {
    row.dataset.worker = w.worker;
    cell(row, w.worker, 'name');
    cell(row, formatHashrate(w.hashrate), 'num');
    cell(row, formatCount(w.accepted), 'num');
    cell(row, formatCount(w.rejectedTotal), 'num');
    cell(row, formatCount(w.stale), 'num');
    cell(row, reasons(w.rejected));
    cell(row, ago(w.lastShare));
  }

  function setStatus(kind, text) {
    var s = $('status');
    s.dataset.state = kind;
    s.textContent = text;
  }

  function ensureChart() {
    if (state.chart) return state.chart;
    if (typeof window.Chart !== 'function') throw new Error('Chart.js did not load (/dashboard/chart.umd.js)');
    state.chart = new window.Chart($('hashrate-chart'), {
      type: 'line',
      data: {
        labels: [],
        datasets: [
          {
            label: 'pool hashrate',
            data: [],
            borderColor: '#2f6fde',
            backgroundColor: 'rgba(47, 111, 222, 0.15)',
            fill: true,
            tension: 0.25,
            pointRadius: 2,
            borderWidth: 2,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 8, autoSkip: true } },
          y: {
            beginAtZero: true,
            ticks: {
              callback: function (v) {
                return formatHashrate(Number(v));
              },
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return formatHashrate(ctx.parsed.y);
              },
            },
          },
        },
      },
    });
    return state.chart;
  }

  function showHistory(h) {
    var chart = ensureChart();
    var points = h.points || [];
    chart.data.labels = points.map(function (p) {
      return clock(p.time);
    });
    chart.data.datasets[0].data = points.map(function (p) {
      return p.hashrate;
    });
    // dots help while there are few samples; a day of them is a line
    chart.data.datasets[0].pointRadius = points.length > 120 ? 0 : 2;
    chart.update('none');
    var hours = (h.intervalSeconds * h.capacity) / 3600;
    $('history-note').textContent =
      points.length + ' samples, one every ' + h.intervalSeconds + ' s (keeps ' + (hours >= 1 ? hours.toFixed(1) + ' h' : Math.round(hours * 60) + ' min') + ')';
    var last = points[points.length - 1];
    if (last) $('pool-hashrate').textContent = formatHashrate(last.hashrate);
  }

  function showWorkers(w) {
    $('workers-count').textContent = w.total > w.workers.length ? '(top ' + w.workers.length + ' of ' + w.total + ')' : '(' + w.total + ')';
    $('pool-workers').textContent = formatCount(
      w.workers.filter(function (x) {
        return x.hashrate > 0;
      }).length,
    );
    fillRows($('workers').tBodies[0], w.workers, 7, workerRow, 'no workers yet');
  }

  function showBlocks(blocks, error) {
    $('pool-blocks').textContent = error ? '–' : formatCount(blocks.length) + (blocks.length >= BLOCK_LIMIT ? '+' : '');
    fillRows(
      $('blocks').tBodies[0],
      blocks,
      6,
      function (row, b) {
        row.dataset.height = String(b.height);
        cell(row, String(b.height), 'num');
        cell(row, b.hash, 'hash').title = b.hash;
        cell(row, b.finder || '–', 'name');
        cell(row, typeof b.time === 'number' ? new Date(b.time).toLocaleString() : '–');
        cell(row, 'accepted' in b ? (b.accepted ? 'accepted by node' : 'refused: ' + (b.reason || 'unknown')) : b.status || '–');
        cell(row, b.reward === undefined ? '–' : String(b.reward), 'num');
      },
      error || 'no blocks yet',
    );
  }

  /** a bound address a browser can reach: 0.0.0.0 / :: become the host of this page */
  function reachable(url) {
    return url.replace(/:\/\/(0\.0\.0\.0|\[::\]|::)(?=:)/, '://' + window.location.hostname);
  }

  function showPorts(ports) {
    var mine = ports.filter(function (p) {
      return p.coin === state.coin;
    });
    $('pool-connections').textContent = formatCount(
      mine.reduce(function (n, p) {
        return n + p.connections;
      }, 0),
    );
    fillRows(
      $('ports').tBodies[0],
      ports,
      9,
      function (row, p) {
        row.dataset.port = p.name;
        cell(row, p.name, 'name');
        cell(row, p.coin);
        cell(row, p.dialect);
        cell(row, p.urls.map(reachable).join('\n'), 'url');
        cell(row, p.tls ? 'yes' : 'no');
        cell(row, String(p.difficulty) + (p.vardiff ? ' (vardiff)' : ''), 'num');
        cell(row, formatCount(p.connections), 'num');
        cell(row, formatCount(p.sharesAccepted), 'num');
        cell(row, formatCount(p.sharesRejected), 'num');
      },
      'no ports',
    );
  }

  function fact(dl, term, value) {
    var dt = document.createElement('dt');
    dt.textContent = term;
    var dd = document.createElement('dd');
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function showLookup(kind, message, miner) {
    var box = $('lookup-result');
    box.hidden = false;
    box.dataset.state = kind;
    $('lookup-message').textContent = message;
    var dl = $('lookup-facts');
    dl.replaceChildren();
    var table = $('lookup-workers');
    table.hidden = !miner;
    if (!miner) return;
    fact(dl, 'Hashrate', formatHashrate(miner.hashrate));
    fact(dl, 'Accepted', formatCount(miner.accepted));
    fact(dl, 'Rejected', formatCount(miner.rejectedTotal) + (miner.rejectedTotal > 0 ? ' (' + reasons(miner.rejected) + ')' : ''));
    fact(dl, 'Stale', formatCount(miner.stale));
    fact(dl, 'Last share', ago(miner.lastShare));
    fact(dl, 'Blocks found', formatCount(miner.blocksFound.length) + ' of the last ' + miner.blocksConsidered);
    if (miner.credited !== null) fact(dl, 'Credited (smallest units)', miner.credited);
    fillRows(table.tBodies[0], miner.workers, 7, workerRow, 'no workers');
  }

  function lookup() {
    if (!state.address || !state.coin) return Promise.resolve();
    var address = state.address;
    if ($('lookup-result').dataset.state === 'idle') showLookup('loading', 'looking up ' + address + '…', null);
    return api('api/miners/' + encodeURIComponent(state.coin) + '/' + encodeURIComponent(address)).then(
      function (miner) {
        if (address === state.address) showLookup('found', miner.workers.length + ' worker(s) for ' + address + ' on ' + state.coin, miner);
      },
      function (err) {
        if (address !== state.address) return;
        if (err.status === 404) showLookup('not-found', 'no workers with address ' + address + ' on ' + state.coin + ' (name your workers "<address>.<rig>")', null);
        else showLookup('error', 'lookup failed: ' + err.message, null);
      },
    );
  }

  function fillCoins(coins) {
    if (coins.join() === state.coins.join()) return;
    state.coins = coins;
    var select = $('coin');
    select.replaceChildren();
    coins.forEach(function (c) {
      var o = document.createElement('option');
      o.value = c;
      o.textContent = c;
      select.appendChild(o);
    });
    var wanted = new URLSearchParams(window.location.search).get('coin');
    if (coins.indexOf(state.coin) < 0) state.coin = wanted && coins.indexOf(wanted) >= 0 ? wanted : coins[0] || '';
    select.value = state.coin;
    select.parentElement.hidden = coins.length < 2;
  }

  function refresh() {
    if (state.busy) return Promise.resolve();
    state.busy = true;
    return api('health')
      .then(function (health) {
        fillCoins(health.coins || []);
        if (!state.coin) throw new Error('the pool serves no coin yet');
        var coin = encodeURIComponent(state.coin);
        return Promise.allSettled([
          api('api/history/' + coin).then(showHistory),
          api('api/workers/' + coin + '?limit=' + WORKER_LIMIT).then(showWorkers),
          api('api/blocks/' + coin + '?limit=' + BLOCK_LIMIT).then(
            function (b) {
              showBlocks(b);
            },
            function (err) {
              showBlocks([], err.status === 404 ? 'blocks are not kept for this coin' : 'blocks: ' + err.message);
            },
          ),
          api('api/ports').then(function (p) {
            showPorts(p.ports || []);
          }),
          lookup(),
        ]);
      })
      .then(function (results) {
        var failed = results.filter(function (r) {
          return r.status === 'rejected';
        });
        var why = failed.map(function (r) {
          return r.reason.message;
        });
        if (failed.length > 0) setStatus('error', 'updated ' + clock(Date.now()) + ' with errors: ' + why.join('; '));
        else setStatus('ok', 'updated ' + clock(Date.now()));
      })
      .catch(function (err) {
        setStatus('error', 'cannot reach the pool: ' + err.message);
      })
      .then(function () {
        state.busy = false;
      });
  }

  function addressFromHash() {
    var m = /(?:^#|&)address=([^&]*)/.exec(window.location.hash);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function start() {
    $('coin').addEventListener('change', function (e) {
      state.coin = e.target.value;
      $('lookup-result').dataset.state = 'idle';
      if (state.chart) {
        state.chart.data.labels = [];
        state.chart.data.datasets[0].data = [];
        state.chart.update('none');
      }
      void refresh();
    });
    $('lookup-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.address = $('lookup-address').value.trim();
      if (!state.address) return;
      window.history.replaceState(null, '', '#address=' + encodeURIComponent(state.address));
      $('lookup-result').dataset.state = 'idle';
      void lookup();
    });
    state.address = addressFromHash();
    $('lookup-address').value = state.address;
    void refresh();
    state.timer = window.setInterval(refresh, REFRESH_MS);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
