'use strict';
// Berth's dashboard. It reads the cluster the way kubectl and the controllers do: each kind is
// listed once, then watched from the list's resourceVersion, relisting only when the server
// says that version is gone (410). Requests carry the viewer's own bearer token, if any, so
// RBAC decides what the page may show. The store members' Raft status is not a Kubernetes
// object and cannot be watched; it is polled every two seconds from /ui/api/members.

const MEMBERS_EVERY_MS = 2000;
const RETRY_MS = 2000;
const EVENTS_SHOWN = 25;
// What the page lists and watches: the name of its map in `cluster`, and the collection.
const WATCHED = [
  ['nodes', '/api/v1/nodes'],
  ['pods', '/api/v1/pods'],
  ['deployments', '/apis/apps/v1/deployments'],
  ['events', '/api/v1/events'],
  ['leases', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases'],
];

const cluster = {
  nodes: new Map(), pods: new Map(), deployments: new Map(), events: new Map(), leases: new Map(),
  members: null, membersError: null,
};
const watching = new Set();
let token = sessionStorage.getItem('berth-token') || '';
let renderPending = false;

class Unauthorized extends Error {}

// A token may come in the address (#token=...), as `berth up` prints it; it is kept for this
// tab only and taken out of the address bar at once.
function takeTokenFromAddress() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    token = decodeURIComponent(match[1]);
    sessionStorage.setItem('berth-token', token);
    history.replaceState(null, '', location.pathname);
  }
}

async function call(path) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (response.status === 401) throw new Unauthorized('the API refused these credentials');
  if (!response.ok) {
    let message = 'HTTP ' + response.status;
    try { message = (await response.json()).message || message; } catch (ignored) { /* not a Status */ }
    throw new Error(path + ': ' + message);
  }
  return response;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const keyOf = object => (object.metadata.namespace ? object.metadata.namespace + '/' : '') + object.metadata.name;

// Keeps `store` equal to the server's collection at `path`, for as long as the page is open.
async function inform(name, path, store) {
  let version = '';
  for (;;) {
    try {
      if (!version) version = await relist(path, store);
      watching.add(name);
      showConnection();
      version = await watch(path, version, store);
    } catch (e) {
      watching.delete(name);
      if (e instanceof Unauthorized) return askForToken(e.message);
      showConnection(name + ': ' + e.message);
      await sleep(RETRY_MS);
    }
  }
}

async function relist(path, store) {
  const list = await (await call(path)).json();
  store.clear();
  for (const item of list.items || []) store.set(keyOf(item), item);
  changed();
  return list.metadata.resourceVersion;
}

// Applies watch events until the server ends the stream; returns the version to resume from,
// or '' when it is too old to resume (410 Gone) and the collection must be listed again.
async function watch(path, version, store) {
  const response = await call(path + '?watch=1&allowWatchBookmarks=true&resourceVersion=' + encodeURIComponent(version));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return version;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (!line) continue;
      const event = JSON.parse(line);
      if (event.type === 'ERROR') {
        if (event.object && event.object.code === 410) return '';
        throw new Error((event.object && event.object.message) || 'watch failed');
      }
      version = event.object.metadata.resourceVersion;
      if (event.type === 'BOOKMARK') continue;
      if (event.type === 'DELETED') store.delete(keyOf(event.object));
      else store.set(keyOf(event.object), event.object);
      changed();
    }
  }
}

async function pollMembers() {
  for (;;) {
    try {
      cluster.members = (await (await call('/ui/api/members')).json()).members;
      cluster.membersError = null;
    } catch (e) {
      if (e instanceof Unauthorized) return askForToken(e.message);
      cluster.membersError = e.message;
    }
    changed();
    await sleep(MEMBERS_EVERY_MS);
  }
}

function askForToken(message) {
  document.getElementById('panels').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = token ? message : '';
  showConnection('signed out');
}

function changed() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => { renderPending = false; render(); }, 50);
}

function showConnection(problem) {
  const element = document.getElementById('connection');
  if (problem) {
    element.textContent = problem;
    element.className = 'error';
  } else {
    element.textContent = (watching.size === WATCHED.length ? 'live' : 'connecting…') + ' · served by ' + location.host;
    element.className = 'muted';
  }
}

// ---- rendering: every table is rebuilt from the maps; text only, never markup from the cluster.

function cell(content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) td.appendChild(content); else td.textContent = content === undefined ? '' : String(content);
  if (className) td.className = className;
  return td;
}

function fill(tableId, rows) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...rows);
}

function row(key, cells) {
  const tr = document.createElement('tr');
  if (key) tr.dataset.key = key;
  tr.append(...cells);
  return tr;
}

function age(timestamp) {
  if (!timestamp) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return seconds + 's ago';
  if (seconds < 7200) return Math.round(seconds / 60) + 'm ago';
  return Math.round(seconds / 3600) + 'h ago';
}

function renderMembers() {
  if (cluster.membersError) {
    fill('members', [row('', [cell(cluster.membersError, 'error')])]);
    return;
  }
  fill('members', (cluster.members || []).map(m => row(m.name || m.id, m.error
    ? [cell(m.name || '(unstarted)'), cell(m.id), cell('unreachable: ' + m.error, 'error'), cell(''), cell(''), cell(''), cell(m.clientURL)]
    : [cell(m.name, m.isLeader ? 'leader' : ''), cell(m.id), cell(m.isLeader ? 'leader' : (m.leader ? 'follower' : 'no leader'), m.leader ? 'ok' : 'warn'),
       cell(m.term), cell(m.raftIndex), cell(m.appliedIndex), cell(m.clientURL)])));
}

function renderLeaders() {
  const leases = [...cluster.leases.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  fill('leaders', leases.map(lease => row(lease.metadata.name, [
    cell(lease.metadata.name), cell(lease.spec.holderIdentity || '(none)', lease.spec.holderIdentity ? 'leader' : 'warn'),
    cell(age(lease.spec.renewTime))])));
}

function nodeState(node) {
  const ready = (node.status && node.status.conditions || []).find(c => c.type === 'Ready');
  let state = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  if (node.spec && node.spec.unschedulable) state += ',SchedulingDisabled';
  return state;
}

function podLabel(pod) {
  const phase = pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status && pod.status.phase) || 'Pending';
  return keyOf(pod) + ' (' + phase + ')';
}

function renderNodes() {
  const byNode = new Map();
  for (const pod of cluster.pods.values()) {
    const node = (pod.spec && pod.spec.nodeName) || '';
    if (!byNode.has(node)) byNode.set(node, []);
    byNode.get(node).push(podLabel(pod));
  }
  const rows = [...cluster.nodes.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map(node => {
    const state = nodeState(node);
    const pods = (byNode.get(node.metadata.name) || []).sort();
    return row(node.metadata.name, [cell(node.metadata.name), cell(state, state.startsWith('Ready') ? 'ok' : 'error'),
      cell(pods.length + (pods.length ? ': ' + pods.join(', ') : ''), 'pods')]);
  });
  const unscheduled = (byNode.get('') || []).sort();
  if (unscheduled.length) {
    rows.push(row('(unscheduled)', [cell('(unscheduled)', 'muted'), cell('Pending', 'warn'),
      cell(unscheduled.length + ': ' + unscheduled.join(', '), 'pods')]));
  }
  fill('nodes', rows);
}

function rollout(deployment) {
  const spec = deployment.spec || {};
  const status = deployment.status || {};
  const desired = spec.replicas === undefined ? 1 : spec.replicas;
  const updated = status.updatedReplicas || 0;
  const available = status.availableReplicas || 0;
  const total = status.replicas || 0;
  const progress = document.createElement('progress');
  progress.max = Math.max(desired, 1);
  progress.value = Math.min(updated, available);
  const words = document.createElement('span');
  if ((status.observedGeneration || 0) < (deployment.metadata.generation || 0)) {
    words.textContent = ' waiting for the controller';
  } else if (updated === desired && available === desired && total === desired) {
    words.textContent = ' complete';
  } else {
    words.textContent = ' ' + updated + ' of ' + desired + ' updated, ' + available + ' available'
      + (total > updated ? ', ' + (total - updated) + ' old' : '');
  }
  const both = document.createElement('span');
  both.append(progress, words);
  return both;
}

function renderDeployments() {
  const deployments = [...cluster.deployments.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  fill('deployments', deployments.map(d => {
    const desired = d.spec.replicas === undefined ? 1 : d.spec.replicas;
    const status = d.status || {};
    return row(keyOf(d), [cell(keyOf(d)), cell((status.readyReplicas || 0) + '/' + desired),
      cell(status.updatedReplicas || 0), cell(status.availableReplicas || 0), cell(rollout(d))]);
  }));
}

function renderEvents() {
  const when = e => e.lastTimestamp || e.eventTime || e.metadata.creationTimestamp || '';
  const events = [...cluster.events.values()].sort((a, b) => when(b).localeCompare(when(a))).slice(0, EVENTS_SHOWN);
  fill('events', events.map(e => row(keyOf(e), [cell(age(when(e))), cell(e.type, e.type === 'Warning' ? 'warn' : ''),
    cell(e.reason), cell(e.involvedObject ? e.involvedObject.kind + ' ' + (e.involvedObject.namespace ? e.involvedObject.namespace + '/' : '') + e.involvedObject.name : ''),
    cell(e.message)])));
}

function render() {
  renderMembers();
  renderLeaders();
  renderNodes();
  renderDeployments();
  renderEvents();
  showConnection();
}

async function start() {
  takeTokenFromAddress();
  document.getElementById('login').addEventListener('submit', event => {
    event.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('berth-token', token);
    location.reload();
  });
  try {
    await call('/api');
  } catch (e) {
    if (e instanceof Unauthorized) return askForToken(e.message);
  }
  document.getElementById('panels').hidden = false;
  for (const [name, path] of WATCHED) inform(name, path, cluster[name]);
  pollMembers();
  // Ages in the tables move on even when nothing changes.
  setInterval(changed, 5000);
}

start();
