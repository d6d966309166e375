/*
 * The connection: one stompjs Client per attempt, our own backoff between attempts. STOMP over a native WebSocket or
 * SockJS with @stomp/stompjs (the StompJs and SockJS globals, from the WebJars' scripts that index.html loads first).
 *
 * Reconnection is the page's own, not stompjs's (reconnectDelay 0): exponential backoff with jitter, a check of the
 * token first, and on success every room (and the private queue) is subscribed again with "since-seq:<last seq
 * seen>", so that the server replays what was missed.
 */

import { $, show, alertUser } from './dom.js';
import { state, TRANSPORT_KEY, TRANSPORT_LABELS } from './state.js';
import { api, handleApiAuth } from './api.js';
import { sessionExpired, tokenExpired } from './account.js';
import { dropRoom, refreshRooms, subscribeRoom } from './rooms.js';
import { fillGap } from './history.js';
import { flushOutbox } from './sending.js';
import { renderTyping, stopTyping } from './typing.js';
import { onPresence, refreshPresence } from './presence.js';
import { onPrivateMessage } from './private.js';
import { onNotification } from './notifications.js';

const RECONNECT_BASE_MS = 1000;
const RECONNECT_MAX_MS = 30000;
const CONNECT_TIMEOUT_MS = 10000;

export function setConnectionState(name, text) {
	const element = $('connection-state');
	element.dataset.state = name;
	element.dataset.transport = state.transport;
	element.dataset.connections = String(state.connections);
	element.textContent = text;
	show($('reconnect-now'), name === 'reconnecting');
}

function brokerUrl() {
	return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
}

function sockJsUrl(token) {
	// SockJS cannot set headers on its HTTP requests: the token goes on the URL (and also on CONNECT).
	return location.protocol + '//' + location.host + '/ws?access_token=' + encodeURIComponent(token);
}

export function connect() {
	clearTimeout(state.reconnectTimer);
	state.reconnectTimer = null;
	state.stopped = false;
	discardClient();
	if (typeof StompJs === 'undefined' || (state.transport !== 'websocket' && typeof SockJS === 'undefined')) {
		setConnectionState('disconnected', 'Client library missing');
		alertUser('The chat client libraries did not load. Reload the page.');
		return;
	}
	const generation = ++state.generation;
	const token = state.token;
	const transport = state.transport;
	setConnectionState(state.connections > 0 ? 'reconnecting' : 'connecting', state.connections > 0 ? 'Reconnecting…' : 'Connecting…');
	const client = new StompJs.Client({
		connectHeaders: { Authorization: 'Bearer ' + token },
		reconnectDelay: 0,
		connectionTimeout: CONNECT_TIMEOUT_MS,
		heartbeatIncoming: 10000,
		heartbeatOutgoing: 10000,
		debug: () => {},
	});
	if (transport === 'websocket') {
		client.brokerURL = brokerUrl();
	}
	else {
		const transports = transport === 'sockjs-http' ? ['xhr-streaming', 'xhr-polling'] : ['websocket', 'xhr-streaming', 'xhr-polling'];
		client.webSocketFactory = () => new SockJS(sockJsUrl(token), null, { transports });
	}
	client.onConnect = () => {
		if (generation === state.generation) {
			onConnected();
		}
	};
	client.onStompError = (frame) => {
		if (generation === state.generation) {
			onStompError(frame);
		}
	};
	client.onWebSocketClose = () => {
		if (generation === state.generation) {
			onSocketClosed();
		}
	};
	state.client = client;
	client.activate();
}

function discardClient() {
	const old = state.client;
	state.client = null;
	state.connected = false;
	for (const room of state.rooms.values()) {
		room.subscriptions = [];
	}
	if (old) {
		state.generation++;
		old.deactivate().catch(() => {});
	}
}

export function disconnect() {
	state.stopped = true;
	clearTimeout(state.reconnectTimer);
	state.reconnectTimer = null;
	stopTyping();
	discardClient();
	setConnectionState('disconnected', 'Not connected');
}

function onConnected() {
	state.connected = true;
	state.connections++;
	state.attempt = 0;
	setConnectionState('connected', 'Connected via ' + TRANSPORT_LABELS[state.transport]);
	const client = state.client;
	client.subscribe('/user/queue/errors', (frame) => onServerError(parse(frame)));
	// Private messages carry a seq too. From 0 on the first connection: the server replays the user's recent
	// private messages (they survive a reload); after a reconnect, the ones missed.
	client.subscribe('/user/queue/private', (frame) => onPrivateMessage(parse(frame)),
		{ 'since-seq': String(state.privateMaxSeq) });
	client.subscribe('/user/queue/notifications', (frame) => onNotification(parse(frame), 'notification'));
	client.subscribe('/topic/announcements', (frame) => onNotification(parse(frame), 'announcement'));
	client.subscribe('/topic/presence', (frame) => onPresence(parse(frame)));
	for (const room of state.rooms.values()) {
		room.typing.forEach((timer) => clearTimeout(timer));
		room.typing.clear();
		if (room.ready) {
			subscribeRoom(room);
		}
	}
	flushOutbox();
	renderTyping();
	refreshPresence();
	refreshRooms();
}

function onStompError(frame) {
	const message = (frame.headers && frame.headers.message) || 'The server closed the connection.';
	if (/^unauthorized/i.test(message)) {
		sessionExpired('The server ended your session: ' + message.replace(/^unauthorized\s*-?\s*/i, '') + '. Log in again to continue.');
		return;
	}
	alertUser('Connection error: ' + message);
}

function onSocketClosed() {
	state.connected = false;
	for (const room of state.rooms.values()) {
		room.subscriptions = [];
	}
	stopTyping();
	if (state.stopped) {
		return;
	}
	scheduleReconnect();
}

/** Exponential backoff with "equal jitter": between half and all of min(30 s, 1 s × 2^attempt). */
function scheduleReconnect() {
	clearTimeout(state.reconnectTimer);
	const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * Math.pow(2, state.attempt));
	const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
	state.attempt++;
	setConnectionState('reconnecting', navigator.onLine === false ? 'Offline, waiting for the network…' : 'Reconnecting in ' + Math.max(1, Math.round(delay / 1000)) + ' s…');
	state.reconnectTimer = setTimeout(reconnect, delay);
}

async function reconnect() {
	state.reconnectTimer = null;
	if (state.stopped || !state.token) {
		return;
	}
	if (tokenExpired(5000)) {
		sessionExpired('Your session has expired. Log in again to continue where you left off.');
		return;
	}
	if (state.attempt > 1) {
		// Several failures in a row: maybe the token is no longer accepted (a SockJS handshake with a bad token
		// gets a bare 401). A cheap authenticated call tells.
		try {
			await api('GET', '/api/presence');
		}
		catch (e) {
			if (handleApiAuth(e)) {
				return;
			}
		}
		if (state.stopped) {
			return;
		}
	}
	connect();
}

export function reconnectNow() {
	if (!state.stopped && !state.connected && state.token) {
		state.attempt = 0;
		clearTimeout(state.reconnectTimer);
		reconnect();
	}
}

export function publish(destination, body) {
	if (!state.client || !state.connected) {
		return false;
	}
	try {
		state.client.publish({ destination, body: JSON.stringify(body) });
		return true;
	}
	catch (e) {
		return false;
	}
}

export function parse(frame) {
	try {
		return JSON.parse(frame.body);
	}
	catch (e) {
		return { text: frame.body };
	}
}

const refusedRooms = new Set();

function onServerError(error) {
	const message = (error && (error.message || error.error)) || 'The server refused that.';
	const destination = error && typeof error.destination === 'string' ? error.destination : '';
	if (error && typeof error.receiptId === 'string' && error.receiptId.startsWith('send-')) {
		// A refused message is not resent.
		state.unacked.delete(error.receiptId.slice('send-'.length));
	}
	if (destination === '/user/queue/private' && error && error.error === 'replay-truncated') {
		// Only the newest private messages came back after a long absence: that is all the page shows anyway.
		return;
	}
	const replayedRoom = destination.match(/^\/topic\/chat\/([A-Za-z0-9_-]{1,64})$/);
	if (error && replayedRoom && state.rooms.has(replayedRoom[1])
			&& (error.error === 'replay-truncated' || error.error === 'replay-failed')) {
		// Not the user's business: fetch what the replay left out. A truncated replay shows up as a gap,
		// which fills itself; a failed one needs a catch-up.
		if (error.error === 'replay-failed') {
			const room = state.rooms.get(replayedRoom[1]);
			fillGap(room, room.maxSeq);
		}
		return;
	}
	const topicRoom = destination.match(/^\/topic\/chat\/([A-Za-z0-9_-]{1,64})(\/users|\/typing)?$/);
	if (topicRoom && error.error === 'forbidden') {
		const name = topicRoom[1];
		if (state.rooms.has(name)) {
			// A private room this user is not a member of: one alert, not one per refused subscription.
			refusedRooms.add(name);
			setTimeout(() => refusedRooms.delete(name), 5000);
			dropRoom(name);
			alertUser('You may not enter room ' + name + '.');
		}
		return;
	}
	for (const name of refusedRooms) {
		if (message.includes("'" + name + "'")) {
			return;
		}
	}
	alertUser(message);
}

export function changeTransport() {
	const value = $('transport').value;
	if (!TRANSPORT_LABELS[value] || value === state.transport) {
		return;
	}
	state.transport = value;
	localStorage.setItem(TRANSPORT_KEY, value);
	if (state.token && !state.stopped) {
		state.attempt = 0;
		connect();
	}
}
