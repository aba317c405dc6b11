// The monitoring desk: one page over the alert API (docs/api.md). No build step: plain modern JavaScript, and uPlot
// (from npm, served as a WebJar) for the charts. Every value from the API is inserted as text, never as HTML.
'use strict';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
const ICONS = { CRITICAL: '■', HIGH: '▲', MEDIUM: '◆', LOW: '●', INFO: '○' };
const STATUSES = ['NEW', 'ASSIGNED', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'];
const CATEGORIES = ['WATCH_LIST', 'CASH_FLOW', 'DIVERSION', 'REPAYMENT', 'CLASSIFICATION', 'REMINDER', 'LIMIT', 'FINANCIAL', 'BUREAU',
  'COLLATERAL', 'GROUP', 'CONCENTRATION'];
const GRADES = ['BLACK', 'RED', 'AMBER', 'GREEN'];
const SEGMENTS = ['RISK_WATCH', 'QUALITY', 'CORE'];
const CUSTOMER_SEGMENTS = ['LARGE_CORPORATE', 'MID_CORPORATE', 'SME', 'PROJECT_FINANCE', 'OTHER'];
const GRANT_SCOPES = ['BORROWER', 'GROUP', 'OFFICER', 'TEAM', 'ALL'];
const DISPOSITIONS = ['FALSE_POSITIVE', 'KEEP_MONITORING', 'RESTRUCTURE', 'LIMIT_FROZEN', 'LEGAL_ACTION', 'WRITTEN_OFF'];

const session = {
  get token() { return sessionStorage.getItem('kestrel.token'); },
  get user() { return JSON.parse(sessionStorage.getItem('kestrel.user') || 'null'); },
  save(login) {
    sessionStorage.setItem('kestrel.token', login.access_token);
    sessionStorage.setItem('kestrel.user', JSON.stringify({ name: login.username, roles: login.roles }));
  },
  clear() { sessionStorage.removeItem('kestrel.token'); sessionStorage.removeItem('kestrel.user'); },
  has(role) { return (this.user?.roles || []).includes(role); },
};

// ---- small helpers -----------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'style') node.style.cssText = value; // through the CSSOM: the page's CSP allows no inline style attribute
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const when = (iso) => iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '';
const day = (iso) => iso ? iso.slice(0, 10) : '';
/** How many minor units a currency's major unit has, as ISO 4217 says (JPY 0, CNY 2, KWD 3); 2 when unknown. */
function fractionDigits(currency) {
  try {
    return currency ? new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits : 2;
  } catch (error) { return 2; }
}
const money = (minor, currency) => {
  if (minor === null || minor === undefined) return '';
  const digits = fractionDigits(currency);
  return (currency ? currency + ' ' : '') + (minor / 10 ** digits).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
/** An amount typed in major units (120000.50) as minor units of the currency, or null when blank. */
const toMinor = (text, currency) => text === '' || text === null || text === undefined ? null
  : Math.round(parseFloat(String(text).replace(/,/g, '')) * 10 ** fractionDigits(currency));
const percent = (bp) => bp === null || bp === undefined ? '' : (bp / 100).toFixed(2) + '%';

/** An indicator reading in its unit, as the engine's explanation states it. */
function reading(value, unit, currency) {
  switch (unit) {
    case 'MINOR_UNITS': return money(value, currency || 'CNY');
    case 'BASIS_POINTS': return percent(value);
    case 'DAYS': return value + (value === 1 ? ' day' : ' days');
    case 'FLAG': return value ? 'yes' : 'no';
    default: return String(value);
  }
}

function banner(message, ok = false) {
  const node = document.getElementById('banner');
  node.textContent = message;
  node.className = ok ? 'banner ok' : 'banner';
  node.hidden = !message;
  if (message) setTimeout(() => { if (node.textContent === message) node.hidden = true; }, ok ? 3000 : 8000);
}

// ---- API --------------------------------------------------------------------------------------------------

async function api(method, path, body, ifMatch) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined) headers['If-Match'] = '"' + ifMatch + '"';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && path !== '/login') {
    session.clear();
    route();
    throw new Error('Your session ended; sign in again.');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(data?.message || response.status + ' ' + response.statusText);
  return data;
}

/** Server-sent events over fetch, because EventSource cannot send the bearer token. Reconnects on its own. */
const live = {
  listeners: new Set(),
  controller: null,
  start() {
    if (this.controller || !session.token) return;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    const indicator = document.getElementById('live');
    const connect = async () => {
      try {
        const response = await fetch('/api/alerts/stream', {
          headers: { Authorization: 'Bearer ' + session.token, Accept: 'text/event-stream' }, signal });
        if (!response.ok) throw new Error('stream ' + response.status);
        indicator.className = 'live on';
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
            if (data && /(^|\n)event:\s*alert/.test(block)) {
              const alert = JSON.parse(data);
              this.listeners.forEach((listener) => listener(alert));
            }
          }
        }
      } catch (error) {
        if (signal.aborted) return;
      }
      indicator.className = 'live off';
      if (!signal.aborted) setTimeout(connect, 2000);
    };
    connect();
  },
  stop() {
    this.controller?.abort();
    this.controller = null;
    document.getElementById('live').className = 'live off';
  },
};

// ---- views ------------------------------------------------------------------------------------------------

const view = () => document.getElementById('view');

function severityCell(severity) {
  return el('span', { class: 'sev ' + severity, title: severity }, ICONS[severity] + ' ' + severity);
}

function gradeBadge(grade) {
  return el('span', { class: 'grade ' + grade, title: 'watch-list grade' }, grade);
}

/** The score and how it moved since the engine's previous score of the borrower. */
function scoreCell(score, previous) {
  const change = previous === null || previous === undefined ? 0 : score - previous;
  return [el('b', {}, String(score)), change ? el('span', { class: change > 0 ? 'up' : 'down' },
    (change > 0 ? ' ▲ +' : ' ▼ ') + change) : ''];
}

/** A factor's value as the desk reads it: a rule's alert state by its severity, an indicator in its unit. */
function factorValue(f) {
  if (f.value === null || f.value === undefined) return '—';
  if (f.ruleId) return f.value ? ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'][f.value - 1] + ' alert open' : 'no alert open';
  return reading(f.value, f.unit, f.currency);
}

/** The factors that added points, as the engine ranked them: what put the borrower where it is. */
function factorsText(factors) {
  return (factors || []).filter((f) => f.points > 0)
    .map((f) => f.title + ' (' + (f.value === null ? f.bin : factorValue(f)) + ', +' + f.points + ')').join(' · ');
}

/** Borrowers ranked by the engine's score: the desk's work queue. */
function watchListCard() {
  const state = { grade: 'AMBER,RED,BLACK', segment: '', owner: '' };
  const rows = el('tbody', { id: 'watch-list' });
  const select = (name, values, first, firstValue) => el('select', { name: 'watch-' + name, 'aria-label': first,
    onchange: (e) => { state[name] = e.target.value; load(); } },
    el('option', { value: firstValue }, first), values.map((v) => el('option', { value: v }, v)));
  async function load() {
    const query = new URLSearchParams({ limit: '50' });
    for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
    try {
      const page = await api('GET', '/api/watch-list?' + query);
      rows.replaceChildren(...page.items.map((w) => el('tr', { class: 'alert-row grade-' + w.grade, 'data-borrower-id': w.borrowerId,
        onclick: () => { location.hash = '#/borrowers/' + encodeURIComponent(w.borrowerId); } },
        el('td', {}, gradeBadge(w.grade)),
        el('td', {}, el('div', {}, w.name || w.borrowerId), el('div', { class: 'muted' }, [w.industry, w.region, w.groupId].filter(Boolean).join(' · '))),
        el('td', {}, scoreCell(w.score, w.previousScore)),
        el('td', {}, percent(w.pdBasisPoints)),
        el('td', {}, factorsText(w.topFactors)),
        el('td', {}, w.segment),
        el('td', {}, w.owner ? [w.owner, w.team ? el('div', { class: 'muted' }, w.team) : null] : el('span', { class: 'muted' }, '—')),
        el('td', {}, String(w.openAlerts)))));
      if (!page.items.length) rows.append(el('tr', { class: 'empty' }, el('td', { colspan: 8, class: 'muted' }, 'No borrower on the list.')));
    } catch (error) { banner(error.message); }
  }
  const card = el('section', { class: 'card', id: 'watch' },
    el('h1', {}, 'Watch list'),
    el('div', { class: 'filters' }, select('grade', GRADES, 'On the watch list', 'AMBER,RED,BLACK'),
      select('segment', SEGMENTS, 'Any segment', ''),
      el('select', { name: 'watch-owner', 'aria-label': 'Owner', onchange: (e) => { state.owner = e.target.value; load(); } },
        el('option', { value: '' }, 'Any owner'), el('option', { value: 'me' }, 'Mine'))),
    el('table', {},
      el('thead', {}, el('tr', {}, ['Grade', 'Borrower', 'Score', 'PD 12m', 'Top factors', 'Segment', 'Owner', 'Open alerts'].map((h) => el('th', {}, h)))),
      rows));
  return { card, load };
}

async function showOverview() {
  const state = { status: 'NEW,ASSIGNED,ACKNOWLEDGED,ESCALATED', severity: '', category: '', assignee: '', group: '', q: '' };
  const tiles = el('div', { class: 'tiles', id: 'tiles' });
  const rows = el('tbody', { id: 'feed' });
  const select = (name, values, label) => el('select', { name, 'aria-label': label,
    onchange: (e) => { state[name] = e.target.value; load(); } },
    el('option', { value: name === 'status' ? state.status : '' }, label), values.map((v) => el('option', { value: v }, v)));
  const text = (name, label) => el('input', { type: 'text', name, placeholder: label, 'aria-label': label,
    onchange: (e) => { state[name] = e.target.value.trim(); load(); } });
  const watch = watchListCard();
  view().replaceChildren(
    tiles,
    watch.card,
    el('section', { class: 'card' },
      el('h1', {}, 'Live alerts'),
      el('div', { class: 'filters' },
        select('status', STATUSES, 'Open (any status)'), select('severity', SEVERITIES, 'Any severity'),
        select('category', CATEGORIES, 'Any category'), text('assignee', 'Assignee'), text('group', 'Group id'),
        text('q', 'Search borrower name')),
      el('table', {},
        el('thead', {}, el('tr', {}, ['Severity', 'Alert', 'Borrower', 'Status', 'Assignee', 'Detected', 'SLA due']
          .map((h) => el('th', {}, h)))),
        rows)));

  const matches = (a) => (!state.status || state.status.split(',').includes(a.status))
    && (!state.severity || a.severity === state.severity) && (!state.category || a.category === state.category)
    && (!state.assignee || a.assignee === state.assignee) && (!state.group || a.groupId === state.group)
    && (!state.q || (a.borrowerName || '').toLowerCase().includes(state.q.toLowerCase()));

  function row(a, fresh) {
    return el('tr', { class: 'alert-row sev-' + a.severity + (fresh ? ' fresh' : ''), 'data-alert-id': a.alertId,
      onclick: () => { location.hash = '#/alerts/' + encodeURIComponent(a.alertId); } },
      el('td', {}, severityCell(a.severity)),
      el('td', {}, el('div', {}, a.title), el('div', { class: 'muted' }, a.ruleId + (a.lifecycle === 'CLOSED' ? ' · condition cleared' : ''))),
      el('td', {}, subject(a)),
      el('td', {}, el('span', { class: 'status ' + a.status }, a.status)),
      el('td', {}, a.assignee || ''),
      el('td', {}, when(a.detectedAt)),
      el('td', { class: a.slaBreached ? 'breached' : '' }, when(a.slaDueAt)));
  }

  async function load() {
    const query = new URLSearchParams({ limit: '100' });
    for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
    try {
      const page = await api('GET', '/api/alerts?' + query);
      rows.replaceChildren(...page.items.map((a) => row(a, false)));
      if (!page.items.length) rows.append(el('tr', { class: 'empty' }, el('td', { colspan: 7, class: 'muted' }, 'No alerts match.')));
    } catch (error) { banner(error.message); }
  }

  async function loadTiles() {
    try {
      const stats = await api('GET', '/api/stats?days=30');
      const perDay = stats.alertsPerDay.map((d) => d.alerts);
      const max = Math.max(1, ...perDay);
      tiles.replaceChildren(
        ...SEVERITIES.slice(0, 4).map((s) => el('div', { class: 'tile sev-' + s, 'data-tile': s },
          el('span', { class: 'muted' }, ICONS[s] + ' open ' + s.toLowerCase()), el('b', {}, stats.openBySeverity[s] || 0))),
        el('div', { class: 'tile breach', 'data-tile': 'sla' }, el('span', { class: 'muted' }, 'SLA breaches'), el('b', {}, stats.slaBreaches)),
        el('div', { class: 'tile', 'data-tile': 'per-day' }, el('span', { class: 'muted' }, 'Alerts per day, 30 days'),
          el('div', { class: 'bars' }, stats.alertsPerDay.map((d) =>
            el('span', { style: 'height:' + Math.round(100 * d.alerts / max) + '%', title: d.day + ': ' + d.alerts })))));
    } catch (error) { banner(error.message); }
  }

  let tilesDue = null;
  live.listeners.clear();
  live.listeners.add((a) => {
    const existing = rows.querySelector('tr[data-alert-id="' + CSS.escape(a.alertId) + '"]');
    if (matches(a)) {
      const fresh = row(a, true);
      rows.querySelector('tr.empty')?.remove();
      if (existing) existing.replaceWith(fresh); else rows.prepend(fresh);
    } else if (existing) existing.remove();
    clearTimeout(tilesDue);
    tilesDue = setTimeout(loadTiles, 1000);
  });
  await Promise.all([load(), loadTiles(), watch.load()]);
}

async function showAlert(alertId) {
  const render = async () => {
    let detail;
    try { detail = await api('GET', '/api/alerts/' + encodeURIComponent(alertId)); } catch (error) { banner(error.message); return; }
    const a = detail.alert;
    const e = detail.explanation;
    const act = async (action, body) => {
      try {
        await api('POST', '/api/alerts/' + encodeURIComponent(alertId) + '/' + action, body, action === 'comments' ? undefined : a.version);
        banner(action === 'comments' ? 'Comment added.' : 'Done: ' + action + '.', true);
        render();
      } catch (error) { banner(error.message); }
    };
    const note = el('textarea', { placeholder: 'Note (required to escalate or resolve; the comment text for a comment)', name: 'note' });
    const disposition = el('select', { name: 'disposition', 'aria-label': 'Disposition' },
      el('option', { value: '' }, 'Disposition…'), DISPOSITIONS.map((d) => el('option', { value: d }, d)));
    const assignee = el('input', { type: 'text', name: 'assignee', placeholder: 'assign to (user name)' });
    const works = session.has('analyst') || session.has('supervisor');
    const open = a.status !== 'RESOLVED';
    const button = (label, action, enabled, body) => el('button', { type: 'button', 'data-action': action,
      disabled: !enabled || null, onclick: () => act(action, body()) }, label);
    view().replaceChildren(
      el('p', {}, el('a', { href: '#/' }, '← all alerts')),
      el('div', { class: 'grid2' },
        el('section', { class: 'card sev-' + a.severity },
          el('h1', {}, severityCell(a.severity), ' ', a.title),
          el('p', { id: 'summary' }, e.summary),
          el('dl', { class: 'facts' },
            el('dt', {}, 'Borrower'), el('dd', {}, a.borrowerId ? el('a', { href: '#/borrowers/' + encodeURIComponent(a.borrowerId) }, a.borrowerName || a.borrowerId) : ''),
            el('dt', {}, 'Group'), el('dd', {}, a.groupId ? el('a', { href: '#/groups/' + encodeURIComponent(a.groupId) }, a.groupId) : '—'),
            el('dt', {}, 'Rule'), el('dd', {}, a.ruleId + ' v' + a.ruleVersion + ' · ' + a.category),
            el('dt', {}, 'Status'), el('dd', {}, el('span', { class: 'status ' + a.status, id: 'status' }, a.status),
              a.disposition ? ' · ' + a.disposition : '', a.assignee ? ' · ' + a.assignee : ''),
            el('dt', {}, 'Episode'), el('dd', {}, a.lifecycle + ' · started ' + when(a.episodeStartedAt)),
            el('dt', {}, 'SLA due'), el('dd', { class: a.slaBreached ? 'breached' : '' }, when(a.slaDueAt))),
          el('h2', {}, 'Why'),
          el('table', {}, el('thead', {}, el('tr', {}, ['Indicator', 'Value', 'Rule', 'Before', 'Observed'].map((h) => el('th', {}, h)))),
            el('tbody', {}, e.inputs.map((r) => el('tr', {},
              el('td', {}, r.indicator), el('td', {}, reading(r.value, r.unit, r.currency)),
              el('td', {}, r.comparison + ' ' + reading(r.threshold, r.unit, r.currency)),
              el('td', {}, r.previousValue === null ? '—' : reading(r.previousValue, r.unit, r.currency)),
              el('td', {}, when(r.observedAt)))))),
          el('h2', {}, 'Events behind it'),
          el('ul', {}, e.triggeringEvents.map((t) => el('li', {}, when(t.eventTime) + ' · ' + t.eventType + ' ' + t.eventId)))),
        el('div', {},
          el('section', { class: 'card actions' },
            el('h2', {}, 'Work it'),
            works ? [note,
              el('div', { class: 'row' },
                button('Acknowledge', 'acknowledge', open && ['NEW', 'ASSIGNED'].includes(a.status), () => ({ note: note.value || null })),
                button('Escalate', 'escalate', open && a.status !== 'ESCALATED', () => ({ note: note.value })),
                button('Comment', 'comments', true, () => ({ body: note.value }))),
              el('div', { class: 'row' }, disposition,
                button('Resolve', 'resolve', ['ACKNOWLEDGED', 'ESCALATED'].includes(a.status),
                  () => ({ disposition: disposition.value || null, note: note.value }))),
              session.has('supervisor') ? el('div', { class: 'row' }, assignee,
                button('Assign', 'assign', open, () => ({ assignee: assignee.value.trim(), note: note.value || null }))) : null]
              : el('p', { class: 'muted' }, 'Your role reads alerts; it does not work them.')),
          el('section', { class: 'card' }, el('h2', {}, 'History'),
            el('ol', { id: 'history' }, detail.history.map((h) => el('li', {},
              when(h.at) + ' · ' + h.actor + ' · ' + h.action + (h.toStatus ? ' → ' + h.toStatus : '') + (h.note ? ' · ' + h.note : ''))))),
          el('section', { class: 'card' }, el('h2', {}, 'Comments'),
            detail.comments.length ? el('ul', {}, detail.comments.map((c) => el('li', {}, when(c.at) + ' · ' + c.author + ': ' + c.body)))
              : el('p', { class: 'muted' }, 'None yet.')))));
  };
  live.listeners.clear();
  live.listeners.add((a) => { if (a.alertId === alertId) render(); });
  await render();
}

/** A chart box now, drawn later: every box must be in the grid before any measures its width. */
function chart(target, title, asOf, series, format, axisFormat) {
  const box = el('div', { class: 'card chart', 'data-chart': title }, el('h2', {}, title));
  target.append(box);
  return () => {
    if (!asOf.length) { box.append(el('p', { class: 'muted' }, 'No history yet.')); return; }
    const data = [asOf.map((t) => Date.parse(t) / 1000), ...series.map((s) => s.values)];
    new uPlot({
      width: Math.max(300, box.clientWidth - 34), height: 200,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, value: (u, v) => v === null ? '—' : format(v) }))],
      axes: [{}, { values: (u, values) => values.map(axisFormat || format), size: 70 }],
    }, data, box);
  };
}

const compactMoney = (minor) => {
  const units = minor / 100;
  return Math.abs(units) >= 1e6 ? (units / 1e6).toFixed(1) + 'm' : Math.abs(units) >= 1e3 ? (units / 1e3).toFixed(0) + 'k' : units.toFixed(0);
};

/** Who an alert is about: the borrower, the group, or the portfolio (the title names the industry or region). */
function subject(a) {
  return a.borrowerName || a.borrowerId || (a.groupId ? 'Group ' + a.groupId : a.scope === 'PORTFOLIO' ? 'Portfolio' : '');
}

/** The engine's latest score of the borrower, with every factor's bin and points; nothing before its first. */
function scoreCard(scores) {
  if (!scores.length) {
    return el('section', { class: 'card', id: 'score' }, el('h2', {}, 'Score'), el('p', { class: 'muted' }, 'Not scored by the engine yet.'));
  }
  const s = scores[scores.length - 1];
  const before = scores.length > 1 ? scores[scores.length - 2].score : null;
  return el('section', { class: 'card', id: 'score' },
    el('h2', {}, 'Score'),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Grade'), el('dd', {}, gradeBadge(s.grade), ' since ' + day(s.gradeSince)),
      el('dt', {}, 'Score, PD 12m'), el('dd', {}, scoreCell(s.score, before), ' · ' + percent(s.pdBasisPoints)),
      el('dt', {}, 'Segment, suggested rating'), el('dd', {}, s.segment + ' · ' + (s.suggestedRating || '—')),
      el('dt', {}, 'Scorecard'), el('dd', { class: 'muted' }, s.scorecard + ', as of ' + when(s.eventTime))),
    el('table', { id: 'factors' },
      el('thead', {}, el('tr', {}, ['Factor', 'Value', 'Bin', 'Points'].map((h) => el('th', {}, h)))),
      el('tbody', {}, s.factors.map((f) => el('tr', { class: f.points > 0 ? 'adds' : '' },
        el('td', {}, f.title), el('td', {}, factorValue(f)),
        el('td', {}, f.bin), el('td', {}, (f.points > 0 ? '+' : '') + f.points))))));
}

/** Who on the desk is responsible for the borrower; a supervisor sets or releases it. */
function ownerCard(borrowerId, owner) {
  const path = '/api/borrowers/' + encodeURIComponent(borrowerId) + '/owner';
  const officer = el('input', { name: 'owner-officer', placeholder: 'Officer (username)', 'aria-label': 'Officer', value: owner ? owner.officer : '' });
  const team = el('input', { name: 'owner-team', placeholder: 'Team', 'aria-label': 'Team', value: owner && owner.team ? owner.team : '' });
  const act = async (method, body) => {
    try { await api(method, path, body); await showBorrower(borrowerId); } catch (error) { banner(error.message); }
  };
  return el('section', { class: 'card', id: 'owner' }, el('h2', {}, 'Owner'),
    owner ? el('p', {}, el('strong', {}, owner.officer), owner.team ? ' · team ' + owner.team : '',
      el('span', { class: 'muted' }, ' · set by ' + owner.assignedBy + ', ' + when(owner.assignedAt)))
      : el('p', { class: 'muted' }, 'No officer is responsible for this borrower yet.'),
    session.has('supervisor') ? el('div', { class: 'row' }, officer, team,
      el('button', { 'data-action': 'set-owner', onclick: () => act('PUT', { officer: officer.value.trim(), team: team.value.trim() || null }) }, 'Set owner'),
      owner ? el('button', { 'data-action': 'release-owner', onclick: () => act('DELETE') }, 'Release') : null) : null);
}

/** The borrower's tags; people of its portfolio add them and remove their own (supervisors: any); rules add them too. */
function tagCard(borrowerId, tags) {
  const path = (tag) => '/api/borrowers/' + encodeURIComponent(borrowerId) + '/tags/' + encodeURIComponent(tag);
  const act = async (method, tag) => {
    try { await api(method, path(tag)); await showBorrower(borrowerId); } catch (error) { banner(error.message); }
  };
  const input = el('input', { name: 'tag', placeholder: 'New tag', 'aria-label': 'New tag' });
  const mayTag = session.has('analyst') || session.has('supervisor');
  return el('section', { class: 'card', id: 'tags' }, el('h2', {}, 'Tags'),
    tags.length ? el('div', { class: 'tags' }, tags.map((t) => el('span', { class: 'tag', 'data-tag': t.tag,
      title: 'set by ' + t.setBy + ', ' + when(t.setAt) }, t.tag,
      session.has('supervisor') || t.setBy === session.user.name
        ? el('button', { class: 'link', 'data-action': 'remove-tag', 'aria-label': 'Remove ' + t.tag, onclick: () => act('DELETE', t.tag) }, '×') : null)))
      : el('p', { class: 'muted' }, 'No tags.'),
    mayTag ? el('div', { class: 'row form' }, input,
      el('button', { 'data-action': 'add-tag', onclick: () => input.value.trim() && act('PUT', input.value.trim()) }, 'Add tag')) : null);
}

const DECIDED = { FREEZE_UNDRAWN: 'the undrawn limit frozen', REDUCE_LIMIT: 'the limit cut', RESTORE_LIMIT: 'the limit restored',
  INCREASE_LIMIT: 'the limit increased' };

/** The engine's standing limit recommendation, or nothing. A credit officer decides; the desk shows what and why. */
function recommendationCard(r) {
  if (!r) {
    return '';
  }
  const what = r.keepDecisionInForce ? (r.action === 'FREEZE_UNDRAWN' ? 'Keep the freeze in force' : 'Keep the cut in force')
    : r.action === 'FREEZE_UNDRAWN' ? 'Freeze the undrawn limit'
    : r.action === 'REDUCE_LIMIT' ? 'Cut the limit by ' + percent(r.reductionBasisPoints)
    : 'Consider restoring the limit'; // WITHDRAWN is shown only while the bank's freeze or cut is in force
  const d = r.decisionInForce;
  return el('section', { class: 'card recommendation sev-' + (r.action === 'WITHDRAWN' ? 'LOW' : r.severity), id: 'limit-recommendation' },
    el('h2', {}, 'Limit recommendation'),
    el('p', {}, r.action === 'WITHDRAWN' ? '' : severityCell(r.severity), ' ', el('strong', {}, what)),
    el('p', {}, r.reason),
    d ? el('p', { id: 'decision-in-force' }, 'In force: ' + DECIDED[d.action]
      + (d.limitMinor !== null && d.limitMinor !== undefined ? ' to ' + money(d.limitMinor, d.currency) : '')
      + ' (decision ' + d.decisionId + '), approved by '
      + d.approvedBy + ' on ' + when(d.approvedAt) + '.') : '',
    el('p', { class: 'muted' }, 'Recommended ' + when(r.detectedAt) + '. A credit officer decides.'));
}

/** The engine's latest indicators of the borrower, each in the unit the engine states. */
function indicatorCard(r) {
  const names = Object.keys(r.indicators || {}).sort();
  return el('section', { class: 'card' }, el('h2', {}, 'Indicators'),
    names.length ? el('table', { id: 'indicators' }, el('thead', {}, el('tr', {}, ['Indicator', 'Value', 'Observed'].map((h) => el('th', {}, h)))),
      el('tbody', {}, names.map((name) => {
        const i = r.indicators[name];
        return el('tr', {}, el('td', {}, name), el('td', {}, reading(i.value, i.unit, r.currency)), el('td', { class: 'muted' }, when(i.observedAt)));
      })))
      : el('p', { class: 'muted' }, 'None yet.'));
}

/** A limit decision's action in words: "Reduce the limit to CNY 30,000,000.00". */
const limitAction = (action, limitMinor, currency) => action === 'FREEZE_UNDRAWN' ? 'Freeze the undrawn limit'
  : { REDUCE_LIMIT: 'Reduce', RESTORE_LIMIT: 'Restore', INCREASE_LIMIT: 'Increase' }[action] + ' the limit to ' + money(limitMinor, currency);

/**
 * Limit decisions on the subject: what the desk proposed, approved or rejected. The borrower's owner or a supervisor
 * proposes; another supervisor approves (naming the version read) or rejects; the proposer may withdraw. A proposal
 * may answer the engine's standing recommendation: the engine reads that link back (a freeze or cut on its word is
 * kept while its alerts last, and suggested for restoring after they clear).
 */
function decisionCard(subject, decisions, currency, mayPropose, reload, recommendation) {
  const me = session.user.name;
  const act = async (method, path, body) => {
    try { await api(method, path, body); await reload(); } catch (error) { banner(error.message); }
  };
  const rows = decisions.map((d) => {
    const reason = el('input', { name: 'decision-reason', placeholder: d.proposedBy === me ? 'Why (to withdraw)' : 'Why (to reject)', 'aria-label': 'Reason to reject' });
    const path = '/api/limit-decisions/' + encodeURIComponent(d.decisionId);
    const buttons = d.status !== 'PROPOSED' ? null : el('div', { class: 'row' },
      session.has('supervisor') && d.proposedBy !== me ? el('button', { 'data-action': 'approve-decision',
        onclick: () => act('POST', path + '/approve?reviewed=' + encodeURIComponent(d.contentSha256)) }, 'Approve') : null,
      session.has('supervisor') || d.proposedBy === me ? [reason, el('button', { 'data-action': 'reject-decision',
        onclick: () => act('POST', path + '/reject', { reason: reason.value.trim() }) }, d.proposedBy === me ? 'Withdraw' : 'Reject')] : null);
    return el('li', { 'data-decision-id': d.decisionId, 'data-status': d.status },
      el('strong', {}, limitAction(d.action, d.limitMinor, d.currency)), ' · ' + d.status,
      el('div', {}, d.reason),
      el('div', { class: 'muted' }, 'proposed by ' + d.proposedBy + ', ' + when(d.proposedAt)
        + (d.decidedBy ? ' · ' + (d.status === 'REJECTED' ? 'rejected' : 'approved') + ' by ' + d.decidedBy + ', ' + when(d.decidedAt) : '')
        + (d.rejectionReason ? ' · ' + d.rejectionReason : '')),
      buttons);
  });
  const action = el('select', { name: 'decision-action', 'aria-label': 'Action' },
    ['REDUCE_LIMIT', 'FREEZE_UNDRAWN', 'RESTORE_LIMIT', 'INCREASE_LIMIT'].map((a) => el('option', { value: a }, a)));
  const limit = el('input', { name: 'decision-limit', placeholder: 'New limit (' + (currency || 'CNY') + ')', 'aria-label': 'New limit', inputmode: 'decimal' });
  const why = el('input', { name: 'decision-why', placeholder: 'Reason', 'aria-label': 'Reason' });
  // A freeze or cut answers a recommendation to do the same, a restore the engine's suggestion to restore; a decision on
  // other grounds links none, so the engine does not take it as done on its word.
  const answered = { FREEZE_UNDRAWN: 'FREEZE_UNDRAWN', REDUCE_LIMIT: 'REDUCE_LIMIT', RESTORE_LIMIT: 'WITHDRAWN' };
  const answers = recommendation ? el('input', { type: 'checkbox', name: 'decision-answers' }) : null;
  const answersLabel = answers ? el('label', { class: 'muted' }, answers, ' Answers the engine’s recommendation above') : null;
  const matchAction = () => {
    const fits = answers && answered[action.value] === recommendation.action;
    if (answers) { answers.checked = fits; answersLabel.hidden = !fits; }
  };
  action.addEventListener('change', matchAction);
  matchAction();
  const propose = () => {
    const body = Object.assign({}, subject, { action: action.value, reason: why.value.trim() });
    if (answers && answers.checked && !answersLabel.hidden) body.recommendationId = recommendation.recommendationId;
    if (action.value !== 'FREEZE_UNDRAWN') {
      body.limitMinor = toMinor(limit.value, currency || 'CNY');
      body.currency = currency || 'CNY';
    }
    return act('POST', '/api/limit-decisions', body);
  };
  return el('section', { class: 'card', id: 'limit-decisions' }, el('h2', {}, 'Limit decisions'),
    rows.length ? el('ul', {}, rows) : el('p', { class: 'muted' }, 'None proposed.'),
    mayPropose ? el('div', { class: 'row' }, action, limit, why,
      el('button', { 'data-action': 'propose-decision', onclick: propose }, 'Propose')) : null,
    mayPropose ? answersLabel : null);
}

const REVIEW_KINDS = { DESK_REVIEW: 'Desk review', SITE_VISIT: 'Site visit', CALL: 'Call' };

/**
 * The borrower's periodic reviews: when the engine has the next one due, the reviews recorded, and, for its owner or a
 * supervisor, the form to record one. The schedule is the engine's; the desk shows it and records what was done.
 */
function reviewCard(borrowerId, risk, reviews, mayRecord) {
  const today = new Date().toISOString().slice(0, 10);
  const due = risk && risk.reviewDueDate;
  const overdue = due && due < today;
  const kind = el('select', { name: 'review-kind', 'aria-label': 'Kind of review' },
    Object.keys(REVIEW_KINDS).map((k) => el('option', { value: k }, REVIEW_KINDS[k])));
  const done = el('input', { name: 'review-date', type: 'date', value: today, max: today, 'aria-label': 'Day of the review' });
  const findings = el('textarea', { name: 'review-findings', rows: 3, placeholder: 'Findings: business, accounts, repayment capacity', 'aria-label': 'Findings' });
  const rating = el('input', { name: 'review-rating', placeholder: 'Rating concluded', 'aria-label': 'Rating concluded',
    value: risk && risk.internalRating ? risk.internalRating : '' });
  const next = el('input', { name: 'review-next', type: 'date', 'aria-label': 'Next review by (optional)' });
  const notes = el('textarea', { name: 'review-visit-notes', rows: 2, placeholder: 'Visit notes (a site visit)', 'aria-label': 'Visit notes' });
  const feedback = el('textarea', { name: 'review-feedback', rows: 2, placeholder: "Customer's feedback", 'aria-label': "Customer's feedback" });
  const latest = reviews.length ? reviews[0] : null; // the latest done first
  const pending = latest && (!risk || !risk.lastReviewDate || risk.lastReviewDate < latest.reviewDate);
  const record = async () => {
    try {
      await api('POST', '/api/borrowers/' + encodeURIComponent(borrowerId) + '/reviews', {
        kind: kind.value, reviewDate: done.value, findings: findings.value.trim(), ratingConcluded: rating.value.trim(),
        nextReviewDate: next.value || null, visitNotes: notes.value.trim() || null, customerFeedback: feedback.value.trim() || null });
      banner('Review recorded; the engine schedules the next one.', true);
      await showBorrower(borrowerId);
    } catch (error) { banner(error.message); }
  };
  return el('section', { class: 'card', id: 'reviews' }, el('h2', {}, 'Periodic reviews'),
    el('p', { id: 'review-due', class: overdue ? 'overdue' : '' }, due
      ? ['Next review due ', el('strong', {}, due), overdue ? ' · overdue' : '',
        risk.lastReviewDate ? ' · last review ' + risk.lastReviewDate : ' · none recorded yet']
      : el('span', { class: 'muted' }, 'The engine has no review date for this borrower yet.')),
    reviews.length ? el('ul', { class: 'reviews' }, reviews.map((v) => el('li', { 'data-review-id': v.reviewId },
      el('strong', {}, REVIEW_KINDS[v.kind] + ' on ' + v.reviewDate), ' by ' + v.reviewedBy,
      ' · rating ' + v.ratingConcluded + (v.ratingChangeProposed ? ' (change proposed from ' + (v.ratingInForce || 'none') + ')' : ' (confirmed)'),
      v.nextReviewDate ? ' · next by ' + v.nextReviewDate : '',
      el('div', {}, v.findings),
      v.visitNotes ? el('div', { class: 'muted' }, 'Visit: ' + v.visitNotes) : '',
      v.customerFeedback ? el('div', { class: 'muted' }, 'Customer: ' + v.customerFeedback) : '',
      v.status === 'PUBLISHED' ? '' : el('div', { class: 'muted' }, 'waiting for the broker')))) : el('p', { class: 'muted' }, 'No review recorded.'),
    pending ? el('p', { class: 'muted', id: 'review-pending' }, 'The engine has not read the review of ' + latest.reviewDate
      + ' yet: the due date above moves when it has.') : '',
    mayRecord ? el('div', { class: 'review-form' }, el('div', { class: 'row form' }, kind,
      el('label', { class: 'inline' }, 'Done on ', done), rating, el('label', { class: 'inline' }, 'Next by ', next)), findings, notes, feedback,
      el('button', { 'data-action': 'record-review', onclick: record }, 'Record review')) : null);
}

/** Review tasks: borrowers the engine has due for review within 30 days, overdue first; one's own or everyone's. */
async function showReviews() {
  live.listeners.clear();
  const mine = new URLSearchParams(location.hash.split('?')[1] || '').get('mine') !== 'false';
  let tasks;
  try {
    tasks = await api('GET', '/api/reviews/due?within=30' + (mine ? '&officer=' + encodeURIComponent(session.user.name) : ''));
  } catch (error) { banner(error.message); return; }
  const today = new Date().toISOString().slice(0, 10);
  view().replaceChildren(
    el('section', { class: 'card' },
      el('h1', {}, 'Reviews due'),
      el('p', {}, el('a', { href: mine ? '#/reviews?mine=false' : '#/reviews', id: 'reviews-scope' },
        mine ? 'Show everyone’s' : 'Show only mine'),
        el('span', { class: 'muted' }, ' · due within 30 days or overdue, as the engine dates them')),
      tasks.length ? el('table', { id: 'review-tasks' },
        el('thead', {}, el('tr', {}, ['Borrower', 'Grade', 'Officer', 'Due', 'Last review', 'Overdue', 'Alert'].map((h) => el('th', {}, h)))),
        el('tbody', {}, tasks.map((t) => el('tr', { class: 'clickable' + (t.dueDate < today ? ' overdue' : ''), 'data-borrower-id': t.borrowerId,
          onclick: () => { location.hash = '#/borrowers/' + encodeURIComponent(t.borrowerId); } },
          el('td', {}, t.name || t.borrowerId), el('td', {}, t.grade ? gradeBadge(t.grade) : '—'), el('td', {}, t.officer || '—'),
          el('td', {}, t.dueDate),
          el('td', {}, t.lastReviewDate || 'none'),
          el('td', {}, t.overdueDays ? t.overdueDays + ' days' : '—'),
          el('td', {}, t.alertId ? el('a', { href: '#/alerts/' + encodeURIComponent(t.alertId), onclick: (e) => e.stopPropagation() },
            severityCell(t.alertSeverity)) : '')))))
        : el('p', { class: 'muted' }, mine ? 'No review of yours is due within 30 days.' : 'No review is due within 30 days.')));
}

const STEP_KINDS = { REMINDER: 'Reminder', CALL: 'Call', FORMAL_LETTER: 'Formal demand (催收通知书)', LAWYERS_LETTER: 'Lawyer’s letter',
  LEGAL_ACTION: 'Legal action' };
const STEP_OUTCOMES = ['SENT', 'CONTACTED', 'PROMISE_TO_PAY', 'PAID', 'NO_RESPONSE', 'DISPUTED', 'REFUSED', 'FILED', 'WAIVED'];

/** One rung of a case's ladder as a table row: due, where it stands, and what was recorded of it. */
function stepRow(s, currency) {
  return el('tr', { class: s.late ? 'late' : '', 'data-step': s.position },
    el('td', {}, STEP_KINDS[s.kind] || s.kind), el('td', {}, s.dueDate + ' (day ' + s.dayOfArrears + ')'),
    el('td', {}, s.status + (s.late ? ' · late' : '')),
    el('td', {}, s.outcome ? s.outcome + (s.promisedAmountMinor ? ' ' + money(s.promisedAmountMinor, currency) + ' by ' + s.promisedDate : '') : ''),
    el('td', {}, s.doneOn ? s.doneOn + ' · ' + s.recordedBy : ''),
    el('td', {}, [s.notes, s.reference ? 'ref. ' + s.reference : null].filter((v) => v).join(' · ')));
}

/**
 * The borrower's collection cases (催收): the open one with its ladder and, for its officer or a supervisor, the form
 * to record a step; closed ones below. The engine opens and closes a case; the desk records the steps.
 */
function collectionCard(borrowerId, cases, mayRecord) {
  const open = cases.find((c) => c.status === 'OPEN');
  const closed = cases.filter((c) => c.status !== 'OPEN');
  const today = new Date().toISOString().slice(0, 10);
  let form = null;
  if (open && mayRecord) {
    const pending = open.steps.filter((s) => s.status === 'PENDING');
    const which = el('select', { name: 'step-position', 'aria-label': 'Step' },
      pending.map((s) => el('option', { value: s.position }, STEP_KINDS[s.kind] + ' (due ' + s.dueDate + ')')));
    const outcome = el('select', { name: 'step-outcome', 'aria-label': 'Outcome' }, STEP_OUTCOMES.map((o) => el('option', { value: o }, o)));
    const done = el('input', { name: 'step-done-on', type: 'date', value: today, max: today, 'aria-label': 'Done on' });
    const notes = el('input', { name: 'step-notes', placeholder: 'Notes (the reason, for a waiver)', 'aria-label': 'Notes' });
    const reference = el('input', { name: 'step-reference', placeholder: 'Proof of delivery or filing number', 'aria-label': 'Reference' });
    const amount = el('input', { name: 'step-promised-amount', type: 'number', min: '0', step: '0.01', placeholder: 'Promised amount',
      'aria-label': 'Promised amount' });
    const by = el('input', { name: 'step-promised-date', type: 'date', 'aria-label': 'Promised by' });
    const record = async () => {
      const promise = outcome.value === 'PROMISE_TO_PAY';
      try {
        await api('POST', '/api/collections/' + encodeURIComponent(open.caseId) + '/steps/' + which.value, {
          outcome: outcome.value, doneOn: outcome.value === 'WAIVED' ? null : done.value, notes: notes.value.trim() || null,
          reference: reference.value.trim() || null,
          promisedAmountMinor: promise ? toMinor(amount.value, open.currency) : null,
          promisedDate: promise ? by.value || null : null });
        banner('Step recorded.', true);
        await showBorrower(borrowerId);
      } catch (error) { banner(error.message); }
    };
    form = pending.length ? el('div', { class: 'collection-form' },
      el('div', { class: 'row form' }, which, outcome, el('label', { class: 'inline' }, 'Done on ', done)),
      el('div', { class: 'row form' }, notes, reference),
      el('div', { class: 'row form' }, amount, el('label', { class: 'inline' }, 'Promised by ', by),
        el('button', { 'data-action': 'record-step', onclick: record }, 'Record step'))) : null;
  }
  return el('section', { class: 'card', id: 'collections' }, el('h2', {}, 'Collections'),
    open ? [
      el('p', { id: 'collection-case' }, el('strong', {}, open.caseId),
        open.openedOn === 'NON_PERFORMING' ? ' · arrears since ' + open.arrearsSince + ' (under the materiality floor; opened as non-performing)'
          : ' · material arrears since ' + open.arrearsSince,
        ' · now ' + (open.daysPastDue ?? '—') + ' days past due',
        open.overdueMinor != null ? ', ' + money(open.overdueMinor, open.currency) + ' overdue' : '',
        open.nonPerformingSince ? el('span', { class: 'overdue' }, ' · non-performing since ' + day(open.nonPerformingSince)) : '',
        el('span', { class: 'muted' }, ' · the engine’s figures as of ' + when(open.asOf))),
      el('table', { class: 'steps' },
        el('thead', {}, el('tr', {}, ['Step', 'Due', 'Status', 'Outcome', 'Done', 'Notes'].map((h) => el('th', {}, h)))),
        el('tbody', {}, open.steps.map((s) => stepRow(s, open.currency)))),
      form]
      : el('p', { class: 'muted' }, 'No open collection case.'),
    closed.length ? el('ul', { class: 'closed-cases' }, closed.map((c) => el('li', {}, c.caseId + ' · arrears since ' + c.arrearsSince
      + ' · closed ' + day(c.closedAt) + ' (' + c.closeReason + ') · '
      + c.steps.filter((s) => s.status === 'DONE').length + ' steps done'))) : '');
}

/** A table, or a muted line when there are no rows. */
function table(id, headings, rows, none) {
  return rows.length ? el('table', { id }, el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c ?? '')))))) : el('p', { class: 'muted' }, none);
}

/** The day after an ISO date: the first day an instalment due on it is past due. */
const dayAfter = (iso) => new Date(Date.parse(iso + 'T00:00:00Z') + 86400000).toISOString().slice(0, 10);

/** Where the engine says an instalment stands; one past due says since when, not a count that stops on its day. */
function instalmentStatus(x) {
  switch (x.status) {
    case 'DUE': return 'to pay';
    case 'PAST_DUE': return 'past due since ' + dayAfter(x.dueDate);
    case 'SETTLED': return 'settled';
    case 'SUPERSEDED': return 'followed in the servicing report since ' + x.asOf;
    default: return x.status;
  }
}

/** The engine's days late of an instalment: final once settled; the facility's running count is in its row above. */
function daysLate(x) {
  if (x.status === 'SETTLED') return x.daysLate ? String(x.daysLate) : 'on time';
  if (x.status === 'PAST_DUE') return 'still unpaid';
  return x.daysLate ? x.daysLate + ' when superseded' : '';
}

/**
 * The evidence behind the engine's verdicts (客户档案): per facility the engine's exposure, arrears and collateral
 * cover; the engine's word on each instalment; the statements, bureau and court records, repayment events and
 * collateral valuations as they came.
 */
function evidenceCards(r, e) {
  const facilities = r ? r.facilities || [] : [];
  const facilityCurrency = (id) => { const f = facilities.find((x) => x.facilityId === id); return f && f.currency || (r ? r.currency : null); };
  return [
    el('section', { class: 'card', id: 'facilities' }, el('h2', {}, 'Facilities'),
      table('facility-list', ['Facility', 'Limit', 'Drawn', 'Utilisation', 'Days past due', 'Overdue', 'Non-performing',
        'Collateral lending value', 'Loan-to-value'],
        facilities.map((f) => { const c = f.currency || r.currency; return [f.facilityId, money(f.limitMinor, c), money(f.drawnMinor, c),
          f.utilisationBasisPoints != null ? percent(f.utilisationBasisPoints) : f.limitMinor ? 'not yet computed' : 'no limit',
          String(f.daysPastDue), money(f.overdueMinor, c), f.nonPerforming ? 'yes' : 'no',
          f.collateralLendingValueMinor != null ? money(f.collateralLendingValueMinor, c) : f.secured ? 'unknown (no FX rate)' : 'unsecured',
          loanToValue(f)]; }),
        'The engine has no facility of this borrower.'),
      el('p', { class: 'muted' }, 'The engine’s figures as of its latest snapshot. Utilisation is drawn over limit; loan-to-value is '
        + 'drawn over the collateral’s lending value. The borrower’s utilisation indicator counts only the lines it can redraw.')),
    el('section', { class: 'card', id: 'statements' }, el('h2', {}, 'Financial statements'),
      table('statement-list', ['Period', 'Revenue', 'Net profit', 'Operating cash flow', 'Total assets', 'Total liabilities', 'Equity'],
        e.statements.map((x) => [x.periodType + ' to ' + x.periodEnd + (x.audited ? ', audited' : ''), money(x.revenueMinor, x.currency),
          money(x.netProfitMinor, x.currency), money(x.operatingCashFlowMinor, x.currency), money(x.totalAssetsMinor, x.currency),
          money(x.totalLiabilitiesMinor, x.currency), x.totalEquityMinor != null ? money(x.totalEquityMinor, x.currency) : 'not reported']),
        'No statement received.'),
      el('p', { class: 'muted' }, 'The ratios the rules read are the engine’s, charted above over time: the balance sheet’s, the income statement’s and the cash flow’s.')),
    el('section', { class: 'card', id: 'bureau' }, el('h2', {}, 'Bureau, court and tax records'),
      table('credit-event-list', ['Date', 'Kind', 'Source', 'Reference', 'Rating', 'Amount', 'Description'],
        e.creditEvents.map((x) => [day(x.eventTime), x.kind, x.source, x.reference,
          x.newRating ? (x.previousRating || '—') + ' → ' + x.newRating : '', x.amountMinor != null ? money(x.amountMinor, x.currency) : '',
          x.description || '']), 'No record received.')),
    el('section', { class: 'card', id: 'ledger' }, el('h2', {}, 'Repayment ledger'),
      table('instalment-list', ['Due', 'Facility', 'Instalment', 'Amount due', 'Paid', 'Status', 'Settled on', 'Days late'],
        (e.instalments || []).map((x) => { const c = x.currency || facilityCurrency(x.facilityId); return [x.dueDate, x.facilityId,
          x.instalmentId, money(x.amountDueMinor, c), money(x.amountPaidMinor, c), instalmentStatus(x),
          x.settledOn || '', daysLate(x)]; }),
        'The engine has told no instalment of this borrower.'),
      el('p', { class: 'muted' }, 'Each instalment as the engine holds it (a payment that names no instalment settles the oldest first): '
        + 'those past due first, then those to pay, then the settled'
        + (e.instalmentsNotShown ? '; the last ' + e.instalmentsNotShown + ' in this order not shown' : '')
        + '. Below, the repayment events as they came.'),
      table('repayment-list', ['Due', 'Facility', 'Instalment', 'Event', 'Amount due', 'Paid', 'On', 'Reported days past due'],
        e.repayments.map((x) => [x.dueDate, x.facilityId, x.instalmentId, x.kind, money(x.amountDueMinor, x.currency),
          money(x.amountPaidMinor, x.currency), day(x.eventTime), x.reportedDaysPastDue != null ? String(x.reportedDaysPastDue) : '']),
        'No repayment event received.')),
    el('section', { class: 'card', id: 'collateral' }, el('h2', {}, 'Collateral register'),
      table('valuation-list', ['Collateral', 'Kind', 'Facility', 'Value', 'Haircut', 'Valued on', 'Valuer', 'Facility loan-to-value'],
        e.valuations.map((x) => { const f = facilities.find((y) => y.facilityId === x.facilityId); return [x.collateralId, x.kind,
          x.facilityId, money(x.valueMinor, x.currency), percent(x.haircutBasisPoints), x.valuationDate, x.valuer || '',
          f ? loanToValue(f) : 'not a facility the engine holds']; }), 'No valuation received.'),
      el('p', { class: 'muted' }, 'Each valuation as it came; the loan-to-value is the engine’s, of the facility as of its latest snapshot '
        + '(a later valuation reaches it within a day).'))];
}

/** The engine's loan-to-value of a facility, or why it has none. */
function loanToValue(f) {
  if (f.loanToValueBasisPoints != null) return percent(f.loanToValueBasisPoints);
  if (f.secured === false) return 'unsecured';
  if (f.collateralLendingValueMinor === 0) return 'none: collateral worth nothing';
  return f.secured && f.collateralLendingValueMinor == null ? 'unknown (no FX rate)' : 'not yet computed';
}

const DISPOSAL_OPTIONS = { RESTRUCTURE: 'Restructure', TRANSFER: 'Transfer or sell', LITIGATION: 'Sue and enforce', WRITE_OFF: 'Write off' };

/** Downloads the case's disposal report: fetched with the bearer token, then saved as the HTML file it is. */
async function downloadReport(caseId) {
  try {
    const response = await fetch('/api/collections/' + encodeURIComponent(caseId) + '/report',
      { headers: { Authorization: 'Bearer ' + session.token } });
    if (!response.ok) throw new Error((await response.json()).message || response.status + ' ' + response.statusText);
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: 'disposal-report-' + caseId + '.html' });
    document.body.append(link);
    link.click();
    link.remove();
    banner('Report downloaded.', true);
  } catch (error) { banner(error.message); }
}

/**
 * NPL disposal (不良资产处置) of a non-performing case: the engine's figures, the four options with the figures behind
 * each, the decisions (one person proposes, another supervisor decides), the progress with what it recovered, and the
 * report. The options are not ranked: the decision is the bank's.
 */
function disposalCard(d, borrowerId, mayWork) {
  const f = d.figures;
  const c = f ? f.currency : null;
  const reload = () => showBorrower(borrowerId);
  const post = async (path, body, done, event) => {
    const button = event && event.target;
    if (button) button.disabled = true; // one click, one request: a recovery is counted once
    try {
      await api('POST', '/api/collections/' + encodeURIComponent(d.caseId) + '/disposal' + path, body);
      banner(done, true);
      await reload();
    } catch (error) { banner(error.message); if (button) button.disabled = false; }
  };
  const proposed = d.decisions.find((x) => x.status === 'PROPOSED');
  const approved = d.decisions.filter((x) => x.status === 'APPROVED').pop();
  const note = el('input', { name: 'decision-note', placeholder: 'Note (why, for a rejection)', 'aria-label': 'Decision note' });
  const mayDecide = proposed && session.has('supervisor') && proposed.proposedBy !== session.user.name;
  let proposeForm = null;
  if (mayWork && !proposed && d.caseStatus === 'OPEN') {
    const option = el('select', { name: 'disposal-option', 'aria-label': 'Option' },
      Object.keys(DISPOSAL_OPTIONS).map((k) => el('option', { value: k }, DISPOSAL_OPTIONS[k])));
    const expected = el('input', { name: 'disposal-expected', type: 'number', min: '0', step: '0.01', placeholder: 'Recovery expected',
      'aria-label': 'Recovery expected' });
    const rationale = el('textarea', { name: 'disposal-rationale', rows: 2, placeholder: 'Rationale, on the figures', 'aria-label': 'Rationale' });
    proposeForm = el('div', { class: 'review-form' }, el('div', { class: 'row form' }, option, expected), rationale,
      el('button', { 'data-action': 'propose-disposal', onclick: (event) => post('/decisions', { option: option.value,
        expectedRecoveryMinor: toMinor(expected.value, c), rationale: rationale.value.trim() },
      'Disposal proposed; another supervisor decides it.', event) }, 'Propose'));
  }
  let progressForm = null;
  if (mayWork && approved) {
    const today = new Date().toISOString().slice(0, 10);
    const on = el('input', { name: 'progress-date', type: 'date', value: today, max: today, 'aria-label': 'Day' });
    const what = el('input', { name: 'progress-note', placeholder: 'What happened', 'aria-label': 'What happened' });
    const recovered = el('input', { name: 'progress-recovered', type: 'number', min: '0', step: '0.01', placeholder: 'Recovered',
      'aria-label': 'Recovered' });
    progressForm = el('div', { class: 'row form' }, on, what, recovered,
      el('button', { 'data-action': 'record-progress', onclick: (event) => post('/progress', { onDate: on.value, note: what.value.trim(),
        recoveredMinor: toMinor(recovered.value, c) }, 'Progress recorded.', event) }, 'Record progress'));
  }
  return el('section', { class: 'card', id: 'disposal' }, el('h2', {}, 'NPL disposal (不良资产处置)'),
    f ? el('p', { id: 'disposal-figures' }, 'Exposure ' + money(f.drawnMinor, c),
      f.overdueMinor != null ? ', ' + money(f.overdueMinor, c) + ' past due' : '',
      ' · ' + f.loanCategory + (f.inDefault ? ', in default' : ''),
      f.collateralLendingValueMinor != null ? ' · collateral lending value ' + money(f.collateralLendingValueMinor, c)
        + ', uncovered ' + money(f.uncoveredMinor, c) : '',
      ' · recovered ' + money(f.recoveredByDisposalMinor, c),
      !f.lastInterruption ? ' · no demand on record' : f.limitationRunsTo ? ' · limitation runs to ' + f.limitationRunsTo
        : ' · limitation interrupted by the claim filed ' + f.lastInterruptionOn,
      el('span', { class: 'muted' }, ' · the engine’s figures as of ' + when(f.asOf))) : el('p', { class: 'muted' }, 'No snapshot from the engine.'),
    el('div', { class: 'options' }, d.options.map((o) => el('details', { 'data-option': o.option },
      el('summary', {}, o.title), el('ul', {}, o.figures.map((x) => el('li', {}, x)), o.conditions.map((x) => el('li', { class: 'muted' }, x)))))),
    d.decisions.length ? el('table', { id: 'disposal-decisions' },
      el('thead', {}, el('tr', {}, ['Option', 'Expected recovery', 'Rationale', 'Status', 'Proposed', 'Decided'].map((h) => el('th', {}, h)))),
      el('tbody', {}, d.decisions.map((x) => el('tr', { 'data-decision-id': x.decisionId },
        el('td', {}, DISPOSAL_OPTIONS[x.option] || x.option), el('td', {}, money(x.expectedRecoveryMinor, c)), el('td', {}, x.rationale),
        el('td', {}, x.status), el('td', {}, x.proposedBy + ' · ' + day(x.proposedAt)),
        el('td', {}, x.decidedBy ? x.decidedBy + ' · ' + day(x.decidedAt) + (x.decisionNote ? ': ' + x.decisionNote : '') : '—')))))
      : el('p', { class: 'muted' }, 'No disposal proposed.'),
    mayDecide ? el('div', { class: 'row form' }, note,
      el('button', { 'data-action': 'approve-disposal', onclick: (event) => post('/decisions/' + encodeURIComponent(proposed.decisionId) + '/approve',
        { note: note.value.trim() || null }, 'Disposal approved.', event) }, 'Approve'),
      el('button', { 'data-action': 'reject-disposal', onclick: (event) => post('/decisions/' + encodeURIComponent(proposed.decisionId) + '/reject',
        { note: note.value.trim() || null }, 'Disposal rejected.', event) }, 'Reject')) : null,
    proposeForm,
    d.progress.length ? el('ul', { id: 'disposal-progress' }, d.progress.map((p) => el('li', {}, p.onDate + ' · ' + p.note
      + (p.recoveredMinor ? ' · recovered ' + money(p.recoveredMinor, c) : '') + ' · ' + p.recordedBy))) : null,
    progressForm,
    session.has('supervisor') || session.has('auditor') ? el('p', {}, el('button', { 'data-action': 'download-report',
      onclick: () => downloadReport(d.caseId) }, 'Download the disposal report')) : null);
}

/**
 * The approvals worklist: limit decisions and NPL disposals waiting for their second person, the longest waiting
 * first. The API says whether the signed-in user may decide each, and if not why; deciding happens on the borrower's
 * or group's page, beside the evidence.
 */
async function showApprovals() {
  live.listeners.clear();
  let worklist;
  try { worklist = await api('GET', '/api/approvals'); } catch (error) { banner(error.message); return; }
  const open = (a) => { location.hash = a.groupId ? '#/groups/' + encodeURIComponent(a.groupId) : '#/borrowers/' + encodeURIComponent(a.borrowerId); };
  const proposal = (a) => a.kind === 'DISPOSAL'
    ? 'NPL disposal: ' + (DISPOSAL_OPTIONS[a.action] || a.action) + ', recovery expected ' + money(a.amountMinor, a.currency)
    : 'Limit decision: ' + limitAction(a.action, a.amountMinor, a.currency);
  view().replaceChildren(
    el('section', { class: 'card' },
      el('h1', {}, 'Approvals'),
      el('p', { class: 'muted' }, !session.has('analyst') || session.has('supervisor')
        ? 'Proposals waiting for their second person, the longest waiting first. Open one to read the evidence and decide it.'
        : 'Your proposals waiting for a supervisor, the longest waiting first.'),
      worklist.items.length ? el('table', { id: 'approvals' },
        el('thead', {}, el('tr', {}, ['Waiting since', 'Proposal', 'Subject', 'Proposed by', 'Why', 'For you'].map((h) => el('th', {}, h)))),
        el('tbody', {}, worklist.items.map((a) => el('tr', { class: 'clickable', 'data-decision-id': a.decisionId, 'data-kind': a.kind,
          'data-may-decide': String(a.mayDecide), onclick: () => open(a) },
          el('td', {}, when(a.proposedAt)), el('td', {}, proposal(a)),
          el('td', {}, a.groupId ? 'group ' + a.groupId : (a.name ? a.name + ' (' + a.borrowerId + ')' : a.borrowerId) + (a.caseId ? ' · ' + a.caseId : '')),
          el('td', {}, a.proposedBy), el('td', {}, a.reason),
          el('td', {}, a.mayDecide ? 'Yours to decide' : a.yours ? 'Yours: another person decides' : a.whyNot)))))
        : el('p', { class: 'muted' }, 'Nothing waits for a second person.')));
}

/** The collection worklist: open cases, the most pressing next step first; one's own or everyone's. */
async function showCollections() {
  live.listeners.clear();
  const mine = new URLSearchParams(location.hash.split('?')[1] || '').get('mine') !== 'false';
  let cases;
  try {
    cases = await api('GET', '/api/collections' + (mine ? '?officer=' + encodeURIComponent(session.user.name) : ''));
  } catch (error) { banner(error.message); return; }
  view().replaceChildren(
    el('section', { class: 'card' },
      el('h1', {}, 'Collections'),
      el('p', {}, el('a', { href: mine ? '#/collections?mine=false' : '#/collections', id: 'collections-scope' },
        mine ? 'Show everyone’s' : 'Show only mine'),
        el('span', { class: 'muted' }, ' · open cases, opened on the engine’s material arrears, the most pressing step first')),
      cases.length ? el('table', { id: 'collection-cases' },
        el('thead', {}, el('tr', {}, ['Borrower', 'Officer', 'Arrears since', 'Days past due', 'Overdue', 'Next step', 'Late steps', 'Non-performing']
          .map((h) => el('th', {}, h)))),
        el('tbody', {}, cases.map((c) => el('tr', { class: 'clickable' + (c.lateSteps ? ' late' : ''), 'data-case-id': c.caseId,
          onclick: () => { location.hash = '#/borrowers/' + encodeURIComponent(c.borrowerId); } },
          el('td', {}, c.name || c.borrowerId), el('td', {}, c.officer || '—'), el('td', {}, c.arrearsSince),
          el('td', {}, c.daysPastDue ?? '—'), el('td', {}, money(c.overdueMinor, c.currency)),
          el('td', {}, c.nextStep ? (STEP_KINDS[c.nextStep.kind] || c.nextStep.kind) + ' by ' + c.nextStep.dueDate : '—'),
          el('td', {}, c.lateSteps ? String(c.lateSteps) : '—'),
          el('td', {}, c.nonPerformingSince ? day(c.nonPerformingSince) : '—')))))
        : el('p', { class: 'muted' }, mine ? 'No open collection case of yours.' : 'No open collection case.')));
}

async function showBorrower(borrowerId) {
  live.listeners.clear();
  let b;
  try { b = await api('GET', '/api/borrowers/' + encodeURIComponent(borrowerId)); } catch (error) { banner(error.message); return; }
  let scores = [];
  try { scores = await api('GET', '/api/borrowers/' + encodeURIComponent(borrowerId) + '/scores'); } catch (error) { scores = []; }
  let decisions = [];
  try { decisions = await api('GET', '/api/limit-decisions?borrowerId=' + encodeURIComponent(borrowerId)); } catch (error) { decisions = []; }
  let reviews = [];
  try { reviews = await api('GET', '/api/borrowers/' + encodeURIComponent(borrowerId) + '/reviews'); } catch (error) { reviews = []; }
  let cases = [];
  try { cases = await api('GET', '/api/borrowers/' + encodeURIComponent(borrowerId) + '/collections'); } catch (error) { cases = []; }
  let evidence = { statements: [], creditEvents: [], repayments: [], valuations: [] };
  try { evidence = await api('GET', '/api/borrowers/' + encodeURIComponent(borrowerId) + '/evidence'); } catch (error) { /* shown empty */ }
  const nonPerforming = cases.find((c) => c.nonPerformingSince); // the latest first
  let disposal = null;
  if (nonPerforming) {
    try { disposal = await api('GET', '/api/collections/' + encodeURIComponent(nonPerforming.caseId) + '/disposal'); } catch (error) { disposal = null; }
  }
  const p = b.profile;
  const r = b.risk;
  const charts = el('div', { class: 'charts' });
  const alertList = (alerts) => alerts.length ? el('ul', {}, alerts.map((a) => el('li', {},
    severityCell(a.severity), ' ', el('a', { href: '#/alerts/' + encodeURIComponent(a.alertId) }, a.title),
    ' · ' + when(a.episodeStartedAt) + ' · ' + a.status))) : el('p', { class: 'muted' }, 'None.');
  view().replaceChildren(
    el('p', {}, el('a', { href: '#/' }, '← all alerts')),
    el('div', { class: 'grid2' },
      el('section', { class: 'card' },
        el('h1', {}, p ? p.name : borrowerId),
        p ? el('dl', { class: 'facts', id: 'profile' },
          el('dt', {}, 'Borrower'), el('dd', {}, borrowerId),
          el('dt', {}, 'Credit code'), el('dd', {}, p.unifiedSocialCreditCode || '—'),
          el('dt', {}, 'Legal representative'), el('dd', {}, (p.legalRepresentativeName || '—') + ' · ' + (p.legalRepresentativeIdNumber || '—') + ' · ' + (p.legalRepresentativePhone || '—')),
          el('dt', {}, 'Industry, region'), el('dd', {}, p.industry + ' · ' + p.region),
          el('dt', {}, 'Group'), el('dd', {}, p.groupId ? el('a', { href: '#/groups/' + encodeURIComponent(p.groupId) }, p.groupId) : '—'),
          el('dt', {}, 'Segment, rating'), el('dd', {}, p.customerSegment + ' · ' + p.internalRating),
          el('dt', {}, 'Personal data'), el('dd', { class: 'muted' }, p.masked ? 'masked for your role' : 'shown in full (this view is audited)'))
          : el('p', { class: 'muted' }, 'No profile received yet.')),
      el('section', { class: 'card' },
        el('h2', {}, 'Risk now'),
        r ? el('dl', { class: 'facts', id: 'risk' },
          el('dt', {}, 'Classification'), el('dd', {}, r.loanCategory + ' · ' + r.smaClass + ' · IFRS 9 stage ' + r.ifrs9Stage + (r.inDefault ? ' · IN DEFAULT' : '')),
          el('dt', {}, 'Rating tier, segment'), el('dd', {}, r.ratingTier + ' · ' + r.segment),
          el('dt', {}, 'Days past due'), el('dd', {}, r.daysPastDue),
          el('dt', {}, 'Drawn / limit'), el('dd', {}, money(r.drawnMinor, r.currency) + ' / ' + money(r.limitMinor, r.currency)),
          el('dt', {}, 'As of'), el('dd', {}, when(r.asOf))) : el('p', { class: 'muted' }, 'No snapshot from the engine yet.'))),
    r ? indicatorCard(r) : '',
    scoreCard(scores),
    ownerCard(borrowerId, b.owner),
    // Any analyst sees the form: a portfolio grant may cover the borrower, and the API says so when none does.
    reviewCard(borrowerId, r, reviews, session.has('supervisor') || session.has('analyst')),
    collectionCard(borrowerId, cases, session.has('supervisor') || session.has('analyst')),
    disposal ? disposalCard(disposal, borrowerId, session.has('supervisor') || session.has('analyst')) : '',
    tagCard(borrowerId, b.tags),
    recommendationCard(b.limitRecommendation),
    decisionCard({ borrowerId }, decisions, b.risk ? b.risk.currency : null,
      session.has('supervisor') || (b.owner !== null && b.owner !== undefined && b.owner.officer === session.user.name),
      () => showBorrower(borrowerId), b.limitRecommendation),
    charts,
    ...evidenceCards(r, evidence), // replaceChildren takes nodes, not an array
    el('div', { class: 'grid2' },
      el('section', { class: 'card' }, el('h2', {}, 'Open alerts'), alertList(b.openAlerts)),
      el('section', { class: 'card' }, el('h2', {}, 'Alert timeline (resolved)'), alertList(b.pastAlerts))));
  const h = b.history;
  const asOf = h.map((point) => point.asOf);
  const indicator = (name) => h.map((point) => point.indicators[name] ?? null);
  const draws = [
    chart(charts, 'Score', scores.map((s) => s.eventTime), [{ label: 'score', colour: '#7c3aed', values: scores.map((s) => s.score) }],
      (v) => String(Math.round(v))),
    chart(charts, 'Days past due', asOf, [{ label: 'days past due', colour: '#b91c1c', values: h.map((point) => point.daysPastDue) }],
      (v) => String(Math.round(v))),
    chart(charts, '30-day inflow against its baseline', asOf, [
      { label: 'inflow 30d', colour: '#0f766e', values: indicator('inflow30d') },
      { label: 'baseline', colour: '#94a3b8', values: indicator('inflowBaseline30d') }], (v) => money(v), compactMoney),
    chart(charts, 'Limit utilisation', asOf, [{ label: 'utilisation', colour: '#1d4ed8', values: indicator('limitUtilisation') }],
      percent, (v) => (v / 100).toFixed(0) + '%'),
    chart(charts, 'Debt to assets and current ratio (latest statement)', asOf, [
      { label: 'debt to assets', colour: '#b45309', values: indicator('debtToAssets') },
      { label: 'current ratio', colour: '#0f766e', values: indicator('currentRatio') }], percent, (v) => (v / 100).toFixed(0) + '%'),
    chart(charts, 'Net margin and revenue change year on year (latest statement)', asOf, [
      { label: 'net margin', colour: '#7c3aed', values: indicator('netMargin') },
      { label: 'revenue change y/y', colour: '#1d4ed8', values: indicator('revenueChangeYoy') }], percent, (v) => (v / 100).toFixed(0) + '%'),
    chart(charts, 'Periods in a row with negative operating cash flow', asOf, [
      { label: 'periods', colour: '#b91c1c', values: indicator('negativeOperatingCashFlowPeriods') }], (v) => String(Math.round(v)))];
  draws.forEach((draw) => draw());
}

async function showGroup(groupId) {
  live.listeners.clear();
  let g;
  try { g = await api('GET', '/api/groups/' + encodeURIComponent(groupId)); } catch (error) { banner(error.message); return; }
  let decisions = [];
  try { decisions = await api('GET', '/api/limit-decisions?groupId=' + encodeURIComponent(groupId)); } catch (error) { decisions = []; }
  const used = g.utilisationBasisPoints;
  view().replaceChildren(
    el('p', {}, el('a', { href: '#/' }, '← all alerts')),
    el('section', { class: 'card' },
      el('h1', {}, (g.groupName ? g.groupName + ' · ' : 'Group ') + groupId),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Exposure'), el('dd', {}, g.drawnMinor === null ? 'not assessed by the engine yet' + (g.limitMinor ? ' · group limit ' + money(g.limitMinor, g.currency) : '')
          : money(g.drawnMinor, g.currency) + (g.limitMinor ? ' of ' + money(g.limitMinor, g.currency) + ' group limit' : ' (no group limit received)')),
        el('dt', {}, 'Utilisation'), el('dd', {}, used === null ? '—' : percent(used),
          used === null ? '' : el('div', { class: 'meter' + (used > 10000 ? ' over' : '') }, el('span', { style: 'width:' + Math.min(100, used / 100) + '%' }))),
        el('dt', {}, 'Members in distress'), el('dd', {}, g.membersInDistress === null ? 'not assessed by the engine yet'
          : g.membersInDistress + ' of ' + g.members.length
          + (g.nonPerformingMembers ? ' · ' + g.nonPerformingMembers + ' non-performing' : '')
          + (g.worstLoanCategory ? ' · worst ' + g.worstLoanCategory : '')),
        el('dt', {}, 'Watch-list grade'), el('dd', { id: 'group-grade' }, g.watchGrade
          ? [gradeBadge(g.watchGrade), ' set by ', el('a', { href: '#/borrowers/' + encodeURIComponent(g.watchGradeMemberId) }, g.watchGradeMemberId),
            ', its worst material member' + (g.exposureWeightedScore === null ? '' : ' · exposure-weighted score ' + g.exposureWeightedScore)
            + ' · ' + g.scoredMembers + (g.scoredMembers === 1 ? ' member' : ' members') + ' scored',
            g.unscoredMaterialMembers ? el('div', { class: 'muted' }, 'provisional: ' + g.unscoredMaterialMembers
              + (g.unscoredMaterialMembers === 1 ? ' material member is' : ' material members are') + ' not scored yet') : null]
          : el('span', { class: 'muted' }, g.engineAsOf ? 'not graded: no material member scored yet' : 'not graded: the engine has not written this group yet')),
        el('dt', {}, 'As of'), el('dd', { class: 'muted' }, g.engineAsOf ? 'engine, ' + when(g.engineAsOf) : 'no group snapshot from the engine yet'))),
    recommendationCard(g.limitRecommendation),
    decisionCard({ groupId }, decisions, g.currency, session.has('supervisor'), () => showGroup(groupId), g.limitRecommendation),
    el('section', { class: 'card', id: 'contagion' }, el('h2', {}, 'Contagion'),
      g.contagion.length ? el('ul', {}, g.contagion.map((c) => el('li', {},
        severityCell(c.severity), ' ', el('a', { href: '#/alerts/' + encodeURIComponent(c.alertId) }, c.title),
        ' · since ' + when(c.since),
        el('div', {}, c.summary),
        el('div', {}, c.exposedMembers.length ? ['Members the engine alerted for reassessment: ',
          c.exposedMembers.map((id, i) => [i ? ', ' : '', el('a', { href: '#/borrowers/' + encodeURIComponent(id) }, id)])]
          : el('span', { class: 'muted' }, 'No other member alerted.')))))
        : el('p', { class: 'muted' }, 'The engine has no contagion episode open on this group.')),
    el('section', { class: 'card' }, el('h2', {}, 'Members'),
      el('table', { id: 'group-members' }, el('thead', {}, el('tr', {}, ['Borrower', 'Grade', 'Score', 'Classification', 'Days past due', 'Drawn', 'Open alerts'].map((h) => el('th', {}, h)))),
        el('tbody', {}, g.members.map((m) => el('tr', { class: m.watchGrade ? 'grade-' + m.watchGrade : '' },
          el('td', {}, el('a', { href: '#/borrowers/' + encodeURIComponent(m.borrowerId) }, m.name || m.borrowerId)),
          el('td', {}, m.watchGrade ? gradeBadge(m.watchGrade) : '—',
            m.material === false ? el('div', { class: 'muted' }, 'below the material share') : ''),
          el('td', {}, m.score ?? '—'),
          el('td', {}, (m.loanCategory || '—') + (m.smaClass ? ' · ' + m.smaClass : '')),
          el('td', {}, m.daysPastDue ?? '—'), el('td', {}, money(m.drawnMinor, g.currency)), el('td', {}, m.openAlerts)))))),
    el('section', { class: 'card' }, el('h2', {}, 'Open alerts of the group and its members'),
      g.openAlerts.length ? el('ul', {}, g.openAlerts.map((a) => el('li', {}, severityCell(a.severity), ' ',
        el('a', { href: '#/alerts/' + encodeURIComponent(a.alertId) }, a.title), ' · ' + subject(a)))) : el('p', { class: 'muted' }, 'None.')));
}

// ---- project finance: the projects and each one's page ---------------------------------------------------

const PROJECT_SECTORS = ['POWER', 'RENEWABLES', 'TRANSPORT', 'WATER', 'SOCIAL_INFRASTRUCTURE', 'REAL_ESTATE', 'TELECOM', 'INDUSTRIAL',
  'MINING', 'OTHER'];
const PROJECT_STAGES = ['DEVELOPMENT', 'CONSTRUCTION', 'RAMP_UP', 'OPERATION'];
const COVENANT_STATUSES = ['DEFAULT', 'LOCK_UP', 'COMPLIED', 'UNTESTED'];
const times = (bp) => bp === null || bp === undefined ? '—' : (bp / 10000).toFixed(2) + 'x';
/** One of the engine's indicators, formatted; a dash when the engine has none. */
const figure = (indicators, name, format) => indicators[name] ? format(indicators[name].value) : '—';
const covenantBadge = (status) => el('span', { class: 'covenant ' + status }, status.replace('_', '-').toLowerCase());

async function showProjects() {
  live.listeners.clear();
  const state = { sector: '', stage: '', covenant: '' };
  const rows = el('tbody', { id: 'project-list' });
  const select = (name, values, first) => el('select', { name: 'projects-' + name, 'aria-label': first,
    onchange: (e) => { state[name] = e.target.value; load(); } },
    el('option', { value: '' }, first), values.map((v) => el('option', { value: v }, v)));
  async function load() {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
    let projects;
    try { projects = await api('GET', '/api/projects?' + query); } catch (error) { banner(error.message); return; }
    rows.replaceChildren(...(projects.length ? projects.map((p) => el('tr', { 'data-project-id': p.projectId, class: 'alert-row covenant-' + p.covenantStatus,
        onclick: () => { location.hash = '#/projects/' + encodeURIComponent(p.projectId); } },
      el('td', {}, p.name, el('div', { class: 'muted' }, p.projectId + ' · ' + p.borrowerId)),
      el('td', {}, p.sector), el('td', {}, p.stage), el('td', {}, covenantBadge(p.covenantStatus)),
      el('td', {}, figure(p.indicators, 'historicDscr', times)), el('td', {}, figure(p.indicators, 'llcr', times)),
      el('td', {}, figure(p.indicators, 'dsraFunding', percent)), el('td', {}, p.scheduledCodDate)))
      : [el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No project matches.'))]));
  }
  view().replaceChildren(el('section', { class: 'card' }, el('h1', {}, 'Projects'),
    el('p', { class: 'hint' }, 'Project finance (项目融资): the worst covenant status first, as the engine tests the covenants.'),
    el('div', { class: 'filters' }, select('sector', PROJECT_SECTORS, 'Any sector'), select('stage', PROJECT_STAGES, 'Any stage'),
      select('covenant', COVENANT_STATUSES, 'Any covenant status')),
    el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, ['Project', 'Sector', 'Stage', 'Covenants', 'Historic DSCR',
      'LLCR', 'Reserve funded', 'Scheduled COD'].map((h) => el('th', {}, h)))), rows))));
  await load();
}

/**
 * Milestones on one date axis, as the register's reports have them: each planned date (hollow) and the date reached or
 * now expected (filled). How far construction slips is the engine's figure (milestoneSlippageDays), shown in the facts:
 * the engine also slips a milestone whose expected date passed unreached, which a report's dates alone do not say.
 */
function milestoneTimeline(milestones) {
  const reached = (m) => m.actualDate || m.expectedDate;
  const days = milestones.flatMap((m) => [m.plannedDate, reached(m)]).filter(Boolean).map((d) => Date.parse(d));
  const from = Math.min(...days);
  const span = Math.max(1, Math.max(...days) - from);
  const at = (d) => ((Date.parse(d) - from) / span * 100).toFixed(1) + '%';
  return table('project-milestones', ['Milestone', 'Kind', 'Planned', 'Reached or expected', 'Complete', 'Planned ○ against reached or expected ●'],
    milestones.map((m) => [m.name, m.kind.replaceAll('_', ' ').toLowerCase(), m.plannedDate,
      m.actualDate ? 'reached ' + m.actualDate : 'expected ' + m.expectedDate,
      (m.percentCompleteBasisPoints / 100).toFixed(0) + '%',
      el('div', { class: 'track' }, el('span', { class: 'planned', style: 'left:' + at(m.plannedDate) }),
        el('span', { class: 'reached', style: 'left:' + at(reached(m)) }))]),
    'No progress report yet.');
}

/** A ratio's levels (a cover's floors or the gearing ceiling) as the facility agreement sets them. */
const levels = (cover) => cover ? [cover.lockUpBasisPoints !== null ? 'lock-up ' + times(cover.lockUpBasisPoints) : null,
  cover.defaultBasisPoints !== null ? 'default ' + times(cover.defaultBasisPoints) : null].filter(Boolean).join(', ') : '—';

async function showProject(projectId) {
  live.listeners.clear();
  let p;
  try { p = await api('GET', '/api/projects/' + encodeURIComponent(projectId)); } catch (error) { banner(error.message); return; }
  const r = p.project;
  const f = p.indicators;
  const charts = el('div', { class: 'charts' });
  const periods = p.forecast ? p.forecast.periods : [];
  // The receipts the engine counted on the revenue account, by period of the base case it keeps; shown beside this
  // model only when it is that one. '—' for a period not in the engine's latest snapshot (not started then, or older
  // than the 12 it carries), 'not watched' where the engine did not watch the account for all of it.
  const sameModel = p.forecast && p.revenueForecastId === p.forecast.forecastId;
  const received = (start) => {
    const counted = sameModel ? p.revenue.find((x) => x.periodStart === start) : null;
    return !counted ? '—' : counted.receiptsMinor === null ? el('span', { class: 'muted' }, 'not watched')
      : money(counted.receiptsMinor, p.revenueCurrency) + (counted.running ? ' to date' : '');
  };
  const ended = p.revenue.filter((x) => !x.running); // a running period's receipts to date are no shortfall
  view().replaceChildren(
    el('p', {}, el('a', { href: '#/projects' }, '← all projects')),
    el('section', { class: 'card', id: 'project-facts' },
      el('h1', {}, r.name + ' · ' + projectId),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Project company'), el('dd', {}, el('a', { href: '#/borrowers/' + encodeURIComponent(p.borrowerId) }, p.borrowerId)),
        el('dt', {}, 'Sector · stage'), el('dd', {}, r.sector + ' · ' + r.stage),
        el('dt', {}, 'Total investment'), el('dd', {}, money(r.totalInvestmentMinor, r.currency)),
        el('dt', {}, 'Financial close'), el('dd', {}, r.financialCloseDate),
        el('dt', {}, 'Commercial operation'), el('dd', {}, 'scheduled ' + r.scheduledCodDate + (!f.codMarginDays ? ''
          : f.codMarginDays.value >= 0 ? ' · now expected ' + f.codMarginDays.value + ' days before the first repayment'
          : ' · now expected ' + -f.codMarginDays.value + ' days after the first repayment')),
        el('dt', {}, 'First repayment'), el('dd', {}, r.firstDebtServiceDate || 'not fixed yet'),
        el('dt', {}, 'Sponsors'), el('dd', { id: 'project-sponsors' }, r.sponsors.length ? r.sponsors.map((s, i) => [i ? ' · ' : '',
          s.borrowerId ? el('a', { href: '#/borrowers/' + encodeURIComponent(s.borrowerId) }, s.name) : s.name,
          ' ' + (s.shareBasisPoints / 100).toFixed(0) + '%']) : '—'),
        el('dt', {}, 'Facilities'), el('dd', {}, r.facilityIds.join(', ') || '—'),
        el('dt', {}, 'Covenants'), el('dd', { id: 'project-covenant-status' }, covenantBadge(p.covenantStatus)),
        el('dt', {}, 'Cover ratios'), el('dd', { id: 'project-ratios' }, 'historic DSCR ' + figure(f, 'historicDscr', times)
          + ' · projected DSCR ' + figure(f, 'projectedDscr', times) + ' · LLCR ' + figure(f, 'llcr', times)),
        el('dt', {}, 'Debt-service reserve'), el('dd', {}, f.dsraFunding ? percent(f.dsraFunding.value) + ' of its requirement'
          : el('span', { class: 'muted' }, 'not measured (no reserve required, or no balance seen yet)')),
        el('dt', {}, 'Revenue'), el('dd', {}, f.revenueShortfall ? (f.revenueShortfall.value > 0
          ? percent(f.revenueShortfall.value) + ' or more short of the base case in each of its last two periods'
          : 'on or above the base case in one of its last two periods') : el('span', { class: 'muted' }, 'not compared yet')),
        el('dt', {}, 'Construction'), el('dd', { id: 'project-construction' }, (!f.milestoneSlippageDays ? 'no slippage measured'
          : f.milestoneSlippageDays.value > 0 ? 'the worst milestone slips ' + f.milestoneSlippageDays.value + ' days past its plan'
          : 'every milestone on or ahead of plan')
          + (f.capexOverrun ? ' · capex ' + percent(f.capexOverrun.value) + ' against the budget' : '')),
        el('dt', {}, 'As of'), el('dd', { class: 'muted' }, 'the engine\'s latest snapshot; the register\'s records as they came'))),
    el('section', { class: 'card' }, el('h2', {}, 'Milestones'), el('div', { class: 'scroll' }, milestoneTimeline(p.milestones))),
    charts,
    el('section', { class: 'card' }, el('h2', {}, 'Base case' + (p.forecast ? ' ' + p.forecast.forecastId + ' of ' + p.forecast.modelDate : '')),
      el('div', { class: 'scroll' }, table('project-forecast', ['Period', 'Revenue', 'Received (engine)', 'Operating cost', 'Capex', 'Debt service'],
        periods.map((x) => [x.periodStart + ' to ' + x.periodEnd, money(x.revenueMinor, r.currency), received(x.periodStart),
          money(x.operatingCostMinor, r.currency), money(x.capexMinor, r.currency), money(x.debtServiceMinor, r.currency)]),
        'No financial model received yet.'))),
    el('section', { class: 'card' }, el('h2', {}, 'Covenants'),
      el('div', { class: 'scroll' }, table('project-covenants', ['Facility', 'In force from', 'Historic DSCR', 'Projected DSCR', 'LLCR',
        'Debt to equity', 'Reserve'],
        p.covenants.map((c) => [c.facilityId, c.effectiveDate, levels(c.historicDscr), levels(c.projectedDscr), levels(c.llcr),
          levels(c.maxDebtToEquity),
          c.dsra ? c.dsra.months + ' months of debt service' : '—']), 'No covenant received yet.'))));
  const h = p.history;
  const asOf = h.map((point) => point.asOf);
  const indicator = (name) => h.map((point) => point.indicators[name] ?? null);
  // Each facility's levels are in the covenants table; whether a ratio is below one in force is the engine's word,
  // charted as its covenant level, not drawn here from one facility's levels.
  const lines = [
    { label: 'historic DSCR', colour: '#0f766e', values: indicator('historicDscr') },
    { label: 'projected DSCR', colour: '#1d4ed8', values: indicator('projectedDscr') },
    { label: 'LLCR', colour: '#7c3aed', values: indicator('llcr') }];
  // A chart of figures the engine never measured for this project (a reserve no covenant requires) says so, with no empty axes.
  const measured = (...names) => names.some((name) => h.some((point) => point.indicators[name] !== undefined)) ? asOf : [];
  const draws = [
    chart(charts, 'Cover ratios', measured('historicDscr', 'projectedDscr', 'llcr'), lines, times),
    chart(charts, 'Covenant level (0 complied, 1 lock-up, 2 default)', measured('covenantLevel'),
      [{ label: 'level', colour: '#b91c1c', values: indicator('covenantLevel') }], (v) => String(Math.round(v)),
      (v) => Number.isInteger(v) ? String(v) : ''),
    chart(charts, 'Debt-service reserve funded', measured('dsraFunding'), [{ label: 'funded', colour: '#0f766e', values: indicator('dsraFunding') },
      { label: 'requirement', colour: '#b91c1c', values: h.map(() => 10000) }], percent, (v) => (v / 100).toFixed(0) + '%'),
    chart(charts, 'Revenue: base case against receipts, by period ended', ended.map((x) => x.periodEnd),
      [{ label: 'base case', colour: '#94a3b8', values: ended.map((x) => x.forecastRevenueMinor) },
        { label: 'received', colour: '#0f766e', values: ended.map((x) => x.receiptsMinor) }],
      (v) => money(v, p.revenueCurrency), compactMoney),
    chart(charts, 'Revenue short of the base case (two periods in a row)', measured('revenueShortfall'),
      [{ label: 'shortfall', colour: '#b45309', values: indicator('revenueShortfall') }], percent, (v) => (v / 100).toFixed(0) + '%')];
  draws.forEach((draw) => draw());
}

// ---- the borrower list: find a customer ------------------------------------------------------------------

const CLASSIFICATIONS = ['NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS'];

async function showBorrowers() {
  live.listeners.clear();
  const state = { q: '', segment: '', rating: '', grade: '', classification: '', industry: '', region: '', group: '', owner: '', team: '', tag: '' };
  let tags = [];
  try { tags = await api('GET', '/api/tags'); } catch (error) { tags = []; }
  const rows = el('tbody', { id: 'borrower-list' });
  let cursor = null;
  const more = el('button', { 'data-action': 'more-borrowers', hidden: true, onclick: () => load(true) }, 'More');
  const select = (name, values, first) => el('select', { name: 'borrowers-' + name, 'aria-label': first,
    onchange: (e) => { state[name] = e.target.value; load(false); } },
    el('option', { value: '' }, first), values.map((v) => el('option', { value: v }, v)));
  // Typed filters apply on Enter or on leaving the field; a list takes comma-separated values where the API does.
  const typed = (name, placeholder, extra = {}) => el('input', Object.assign({ type: 'text', name: 'borrowers-' + name, placeholder,
    'aria-label': placeholder, onchange: (e) => { state[name] = e.target.value.trim(); load(false); } }, extra));
  async function load(next) {
    const query = new URLSearchParams({ limit: '50' });
    for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
    if (next && cursor) query.set('cursor', cursor);
    try {
      const page = await api('GET', '/api/borrowers?' + query);
      const found = page.items.map((b) => el('tr', { class: 'alert-row' + (b.grade ? ' grade-' + b.grade : ''), 'data-borrower-id': b.borrowerId,
        onclick: () => { location.hash = '#/borrowers/' + encodeURIComponent(b.borrowerId); } },
        el('td', {}, el('div', {}, b.name), el('div', { class: 'muted' }, b.borrowerId)),
        el('td', {}, b.segment, el('div', { class: 'muted' }, b.internalRating)),
        el('td', {}, [b.industry, b.region, b.groupId].filter(Boolean).join(' · ')),
        el('td', {}, b.grade ? gradeBadge(b.grade) : el('span', { class: 'muted' }, '—'), b.score !== null ? ' ' + b.score : ''),
        el('td', {}, b.loanCategory || '', b.daysPastDue ? el('div', { class: 'muted' }, b.daysPastDue + ' days past due') : null),
        el('td', {}, b.owner ? [b.owner, b.team ? el('div', { class: 'muted' }, b.team) : null] : el('span', { class: 'muted' }, '—')),
        el('td', {}, String(b.openAlerts))));
      if (next) rows.append(...found); else rows.replaceChildren(...found);
      if (!next && !found.length) rows.append(el('tr', { class: 'empty' }, el('td', { colspan: 7, class: 'muted' }, 'No borrower matches.')));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) { banner(error.message); }
  }
  view().replaceChildren(el('section', { class: 'card', id: 'borrowers' }, el('h1', {}, 'Borrowers'),
    el('div', { class: 'filters' },
      el('input', { type: 'text', name: 'borrowers-q', placeholder: 'Name or id', 'aria-label': 'Name or id',
        onchange: (e) => { state.q = e.target.value.trim(); load(false); } }),
      select('segment', CUSTOMER_SEGMENTS, 'Any segment'), select('grade', GRADES, 'Any grade'),
      select('classification', CLASSIFICATIONS, 'Any classification'),
      select('tag', tags.map((t) => t.tag), 'Any tag'),
      typed('rating', 'Ratings (BB+,BB)'), typed('industry', 'Industry'), typed('region', 'Region'), typed('group', 'Group'),
      typed('owner', 'Owner (me, or a user)', { list: 'owner-choices' }), el('datalist', { id: 'owner-choices' }, el('option', { value: 'me' })),
      typed('team', 'Team')),
    el('table', {},
      el('thead', {}, el('tr', {}, ['Borrower', 'Segment · rating', 'Industry · region · group', 'Grade · score', 'Classification', 'Owner', 'Open alerts']
        .map((h) => el('th', {}, h)))),
      rows),
    more));
  await load(false);
}

// ---- the book as a whole: exposure and the migration of classifications ------------------------------------

const DIMENSIONS = ['INDUSTRY', 'REGION', 'SEGMENT', 'GRADE', 'CLASSIFICATION'];

async function showPortfolio() {
  live.listeners.clear();
  const exposure = el('tbody', { id: 'exposure' });
  const matrix = el('div', { id: 'migration' });
  const by = el('select', { name: 'exposure-by', 'aria-label': 'Exposure by', onchange: () => loadExposure() },
    DIMENSIONS.map((d) => el('option', { value: d }, 'by ' + d.toLowerCase())));
  const today = new Date().toISOString().slice(0, 10);
  const from = el('input', { type: 'date', name: 'migration-from', 'aria-label': 'From', value: new Date(Date.now() - 90 * 864e5).toISOString().slice(0, 10) });
  const to = el('input', { type: 'date', name: 'migration-to', 'aria-label': 'To', value: today });
  async function loadExposure() {
    try {
      const rows = await api('GET', '/api/portfolio/exposure?by=' + by.value);
      exposure.replaceChildren(...rows.map((r) => el('tr', { 'data-key': r.key === null ? '' : r.key },
        el('td', {}, r.key === null ? el('span', { class: 'muted' }, 'not known') : r.key), el('td', {}, r.currency || '—'),
        el('td', {}, String(r.borrowers)), el('td', {}, money(r.drawnMinor)), el('td', {}, money(r.limitMinor)),
        el('td', { class: r.nonPerformingDrawnMinor ? 'breached' : '' }, money(r.nonPerformingDrawnMinor)), el('td', {}, String(r.inDefault)))));
      if (!rows.length) exposure.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No snapshot from the engine yet.')));
    } catch (error) { banner(error.message); }
  }
  async function loadMigration() {
    try {
      const m = await api('GET', '/api/portfolio/migration?from=' + from.value + '&to=' + to.value);
      matrix.replaceChildren(
        el('div', { class: 'scroll' }, el('table', { class: 'matrix' },
          el('thead', {}, el('tr', {}, el('th', {}, 'On ' + m.from + ' ↓ / on ' + m.to + ' →'), m.categories.map((c) => el('th', {}, c)), el('th', {}, 'Total'))),
          el('tbody', {}, m.rows.map((row) => el('tr', { 'data-from': row.from || 'NEW' },
            el('th', {}, row.from || 'not yet classified'),
            m.categories.map((c) => el('td', { class: row.from && row.from !== c && row.to[c]
              ? (m.categories.indexOf(c) > m.categories.indexOf(row.from) ? 'down' : 'up') : '' }, String(row.to[c]))),
            el('td', {}, String(row.total))))))),
        el('p', { class: 'muted', id: 'migration-summary' }, m.borrowers + ' borrowers: ' + m.downgraded + ' downgraded, '
          + m.upgraded + ' upgraded, ' + m.unchanged + ' unchanged.'));
    } catch (error) { banner(error.message); }
  }
  view().replaceChildren(el('h1', {}, 'Portfolio'),
    el('section', { class: 'card' }, el('h2', {}, 'Exposure'),
      el('p', { class: 'muted' }, "The engine's latest figures, summed per currency, never converted."),
      el('div', { class: 'filters' }, by),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ['', 'Currency', 'Borrowers', 'Drawn', 'Limits', 'Drawn non-performing', 'In default'].map((h) => el('th', {}, h)))),
        exposure))),
    el('section', { class: 'card' }, el('h2', {}, 'Classification migration'),
      el('div', { class: 'filters' }, from, to, el('button', { 'data-action': 'migration', onclick: () => loadMigration() }, 'Show')),
      matrix));
  await Promise.all([loadExposure(), loadMigration()]);
}

// ---- desk set-up: routing rules, portfolio grants, notifications (docs/api.md) ------------------------------

const list = (text) => text.split(',').map((v) => v.trim()).filter((v) => v);

/** The routing rules in the order they are tried; supervisors add, replace and delete them. */
function routingCard(rules, reload) {
  const supervisor = session.has('supervisor');
  const act = async (method, path, body) => {
    try { await api(method, path, body); banner('Saved.', true); await reload(); } catch (error) { banner(error.message); }
  };
  const conditions = (r) => [r.minSeverity ? r.minSeverity + ' or higher' : null,
    r.categories.length ? 'category ' + r.categories.join('/') : null, r.segments.length ? 'segment ' + r.segments.join('/') : null,
    r.teams.length ? 'team ' + r.teams.join('/') : null, r.officers.length ? 'owner ' + r.officers.join('/') : null]
    .filter((c) => c).join(', ') || 'every alert';
  const input = (name, label) => el('input', { name, placeholder: label, 'aria-label': label });
  const id = input('rule-id', 'Rule id (e.g. SME-ARREARS)');
  const position = el('input', { name: 'rule-position', placeholder: 'Position', 'aria-label': 'Position', inputmode: 'numeric' });
  const description = input('rule-description', 'Description');
  const severity = el('select', { name: 'rule-severity', 'aria-label': 'Minimum severity' },
    el('option', { value: '' }, 'Any severity'), SEVERITIES.map((v) => el('option', { value: v }, v + ' or higher')));
  const categories = input('rule-categories', 'Categories (comma-separated)');
  const segments = input('rule-segments', 'Segments: ' + CUSTOMER_SEGMENTS.join(', '));
  const teams = input('rule-teams', 'Owner teams');
  const officers = input('rule-officers', 'Owners');
  const assignTo = input('rule-assign-to', 'Assign to: a username or @owner');
  const save = () => act('PUT', '/api/routing-rules/' + encodeURIComponent(id.value.trim()), {
    position: parseInt(position.value, 10), description: description.value.trim(), minSeverity: severity.value || null,
    categories: list(categories.value), segments: list(segments.value), teams: list(teams.value), officers: list(officers.value),
    assignTo: assignTo.value.trim() });
  return el('section', { class: 'card', id: 'routing-rules' }, el('h2', {}, 'Routing rules'),
    el('p', { class: 'muted' }, 'Tried in order on each new alert; the first that matches assigns it. An alert none places waits for a supervisor.'),
    el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, ['#', 'Rule', 'Takes', 'Assigns to', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, rules.map((r) => el('tr', { 'data-rule-id': r.ruleId, class: r.enabled ? '' : 'muted' },
        el('td', {}, r.position), el('td', {}, el('strong', {}, r.ruleId), el('div', {}, r.description), r.enabled ? null : el('div', {}, 'switched off')),
        el('td', {}, conditions(r)), el('td', {}, r.assignTo === '@owner' ? "the borrower's owner" : r.assignTo),
        el('td', {}, supervisor ? el('button', { 'data-action': 'delete-rule',
          onclick: () => act('DELETE', '/api/routing-rules/' + encodeURIComponent(r.ruleId)) }, 'Delete') : null)))))),
    rules.length ? null : el('p', { class: 'muted' }, 'No rules: every new alert waits unassigned.'),
    supervisor ? el('div', { class: 'row form' }, id, position, description, severity, categories, segments, teams, officers, assignTo,
      el('button', { 'data-action': 'save-rule', onclick: save }, 'Save rule')) : null);
}

/** Grants that widen analysts' portfolios; supervisors grant and revoke, each audited. */
function grantCard(grants, reload) {
  const supervisor = session.has('supervisor');
  const act = async (method, path, body) => {
    try { await api(method, path, body); banner('Saved.', true); await reload(); } catch (error) { banner(error.message); }
  };
  const grantee = el('input', { name: 'grant-grantee', placeholder: 'Analyst (username)', 'aria-label': 'Grantee' });
  const scope = el('select', { name: 'grant-scope', 'aria-label': 'Scope' }, GRANT_SCOPES.map((v) => el('option', { value: v }, v)));
  const value = el('input', { name: 'grant-value', placeholder: 'Borrower, group, officer or team', 'aria-label': 'Scope value' });
  const reason = el('input', { name: 'grant-reason', placeholder: 'Reason', 'aria-label': 'Reason' });
  const expires = el('input', { name: 'grant-expires', type: 'date', 'aria-label': 'Expires on' });
  const grant = () => act('POST', '/api/portfolio-grants', { grantee: grantee.value.trim(), scope: scope.value,
    scopeValue: value.value.trim() || null, reason: reason.value.trim(),
    expiresAt: expires.value ? new Date(expires.value + 'T00:00:00Z').toISOString() : null });
  return el('section', { class: 'card', id: 'portfolio-grants' }, el('h2', {}, 'Portfolio grants'),
    el('p', { class: 'muted' }, 'An analyst works the alerts of the borrowers they own, and of what a grant adds.'),
    grants.length ? el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, ['Analyst', 'Covers', 'Reason', 'Granted', 'Until', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, grants.map((g) => el('tr', { 'data-grant-id': g.grantId },
        el('td', {}, g.grantee), el('td', {}, g.scope + (g.scopeValue ? ' ' + g.scopeValue : '')), el('td', {}, g.reason),
        el('td', { class: 'muted' }, g.grantedBy + ', ' + when(g.grantedAt)), el('td', {}, g.expiresAt ? when(g.expiresAt) : 'revoked'),
        el('td', {}, supervisor ? el('button', { 'data-action': 'revoke-grant',
          onclick: () => act('DELETE', '/api/portfolio-grants/' + g.grantId) }, 'Revoke') : null))))))
      : el('p', { class: 'muted' }, 'No active grants.'),
    supervisor ? el('div', { class: 'row form' }, grantee, scope, value, reason, expires,
      el('button', { 'data-action': 'grant', onclick: grant }, 'Grant')) : null);
}

/** What the desk notified lately, and what did not arrive. */
function notificationCard(notifications) {
  return el('section', { class: 'card', id: 'notifications' }, el('h2', {}, 'Notifications'),
    notifications.length ? el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, ['Queued', 'Kind', 'To', 'Subject', 'Status'].map((h) => el('th', {}, h)))),
      el('tbody', {}, notifications.map((n) => el('tr', { 'data-notification-id': n.notificationId, 'data-status': n.status },
        el('td', { class: 'muted' }, when(n.createdAt)), el('td', {}, n.kind), el('td', {}, n.channel + ' ' + (n.recipient || n.address || '')),
        el('td', {}, n.alertId ? el('a', { href: '#/alerts/' + encodeURIComponent(n.alertId) }, n.subject) : n.subject),
        el('td', { class: n.status === 'FAILED' || n.status === 'SKIPPED' ? 'breached' : '' },
          n.status + (n.attempts > 1 ? ' after ' + n.attempts + ' attempts' : ''), n.lastError ? el('div', { class: 'muted' }, n.lastError) : null))))))
      : el('p', { class: 'muted' }, 'None yet.'));
}

async function showSetup() {
  live.listeners.clear();
  const reload = () => showSetup();
  const readsAll = session.has('supervisor') || session.has('auditor') || session.has('admin');
  try {
    const [rules, grants, notifications] = await Promise.all([api('GET', '/api/routing-rules'),
      api('GET', '/api/portfolio-grants?active=true'), readsAll ? api('GET', '/api/notifications?limit=50') : null]);
    view().replaceChildren(el('h1', {}, 'Desk set-up'), routingCard(rules, reload), grantCard(grants, reload),
      notifications ? notificationCard(notifications) : null);
  } catch (error) { banner(error.message); }
}

function showLogin() {
  live.stop();
  const form = document.getElementById('login-view').content.cloneNode(true);
  view().replaceChildren(form);
  document.getElementById('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    try {
      session.save(await api('POST', '/login', { username: data.get('username'), password: data.get('password') }));
      banner('');
      route();
    } catch (error) { banner('Sign-in refused: check the user name and password.'); }
  });
}

async function route() {
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (!session.token) {
    who.textContent = '';
    logout.hidden = true;
    document.getElementById('setup').hidden = true;
    document.getElementById('borrowers-link').hidden = true;
    document.getElementById('portfolio-link').hidden = true;
    document.getElementById('reviews-link').hidden = true;
    document.getElementById('collections-link').hidden = true;
    document.getElementById('approvals-link').hidden = true;
    document.getElementById('projects-link').hidden = true;
    showLogin();
    return;
  }
  who.textContent = session.user.name + ' · ' + session.user.roles.join(', ');
  logout.hidden = false;
  document.getElementById('setup').hidden = false;
  document.getElementById('borrowers-link').hidden = false;
  document.getElementById('portfolio-link').hidden = false;
  document.getElementById('reviews-link').hidden = false;
  document.getElementById('collections-link').hidden = false;
  document.getElementById('projects-link').hidden = false;
  document.getElementById('approvals-link').hidden = !['analyst', 'supervisor', 'auditor', 'admin'].some((r) => session.has(r));
  live.start();
  const [, kind, id] = location.hash.match(/^#\/(alerts|borrowers|groups|projects)\/(.+)$/) || [];
  if (location.hash === '#/setup') await showSetup();
  else if (location.hash === '#/borrowers') await showBorrowers();
  else if (location.hash === '#/portfolio') await showPortfolio();
  else if (location.hash === '#/reviews' || location.hash.startsWith('#/reviews?')) await showReviews();
  else if (location.hash === '#/collections' || location.hash.startsWith('#/collections?')) await showCollections();
  else if (location.hash === '#/approvals') await showApprovals();
  else if (location.hash === '#/projects') await showProjects();
  else if (kind === 'alerts') await showAlert(decodeURIComponent(id));
  else if (kind === 'borrowers') await showBorrower(decodeURIComponent(id));
  else if (kind === 'groups') await showGroup(decodeURIComponent(id));
  else if (kind === 'projects') await showProject(decodeURIComponent(id));
  else await showOverview();
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('POST', '/logout'); } catch (error) { /* the session is gone either way */ }
  session.clear(); live.stop(); location.hash = '#/'; route();
});
window.addEventListener('hashchange', route);
route();
