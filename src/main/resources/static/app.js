/*
 * Parley's chat page: plain JavaScript, no build step, no external request. STOMP over a native WebSocket or
 * SockJS with @stomp/stompjs (served from the server's WebJars), the REST API with fetch.
 *
 * - User data (messages, usernames, room names, server error texts) is only ever set with textContent.
 * - The access token lives in sessionStorage ("parley.token"): one tab, gone when the tab closes.
 * - Token injection, for tests and for scripts/dev-token.sh: open the page as /#token=<jwt> and the token is moved
 *   into sessionStorage and removed from the address bar. "#transport=sockjs" (or "sockjs-http", "websocket")
 *   picks the transport the same way; both may be combined with "&".
 * - Reconnection is the page's own, not stompjs's (reconnectDelay 0): exponential backoff with jitter, a check of
 *   the token first, and on success every room (and the private queue) is subscribed again with
 *   "since-seq:<last seq seen>", so that the server replays what was missed; messages are kept in seq order and a
 *   seq already shown is dropped. Joining a room loads its newest history first and subscribes "since" it.
 * - Chat messages are sent with a receipt; those not acknowledged when the connection drops (and those written
 *   while it was down) are sent again after reconnecting, with the same clientMessageId, which the server
 *   de-duplicates.
 */
(function () {
	'use strict';

	const TOKEN_KEY = 'parley.token';
	const TRANSPORT_KEY = 'parley.transport';
	const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
	const USER_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;
	const HISTORY_PAGE = 50;
	const GAP_PAGE = 100;
	const GAP_PAGES_MAX = 30;
	const PRIVATE_SHOWN = 200;
	const RECONNECT_BASE_MS = 1000;
	const RECONNECT_MAX_MS = 30000;
	const CONNECT_TIMEOUT_MS = 10000;
	const TYPING_IDLE_MS = 2500;
	const TYPING_RESEND_MS = 4000;
	const TYPING_EXPIRE_MS = 7000;
	const EXPIRY_WARNING_MS = 120000;
	const ALERT_MS = 10000;
	const TRANSPORT_LABELS = { websocket: 'WebSocket', sockjs: 'SockJS', 'sockjs-http': 'SockJS over HTTP' };

	const $ = (id) => document.getElementById(id);

	const state = {
		token: null,
		user: null,
		expiresAt: 0,
		transport: 'websocket',
		client: null,
		generation: 0,
		connected: false,
		connections: 0,
		attempt: 0,
		reconnectTimer: null,
		stopped: true,
		rooms: new Map(),
		active: null,
		online: new Set(),
		privateIds: new Set(),
		privateUnread: 0,
		outbox: [],
		unacked: new Map(),
		privateMaxSeq: 0,
		typingRoom: null,
		typingSentAt: 0,
		typingTimer: null,
		expiryTimer: null,
	};

	// ---------------------------------------------------------------------------------------------------------
	// Small DOM helpers: elements are built with createElement and filled with textContent, never with HTML.

	function el(tag, attributes, text) {
		const element = document.createElement(tag);
		if (attributes) {
			for (const [name, value] of Object.entries(attributes)) {
				if (name === 'className') {
					element.className = value;
				}
				else if (value !== undefined && value !== null && value !== false) {
					element.setAttribute(name, value === true ? '' : String(value));
				}
			}
		}
		if (text !== undefined && text !== null) {
			element.textContent = String(text);
		}
		return element;
	}

	function show(element, visible) {
		element.hidden = !visible;
	}

	function formatTime(timestamp) {
		const date = new Date(timestamp);
		if (Number.isNaN(date.getTime())) {
			return '';
		}
		return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
	}

	function newId() {
		if (window.crypto && typeof window.crypto.randomUUID === 'function') {
			return window.crypto.randomUUID();
		}
		return 'c-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
	}

	function alertUser(text, kind) {
		const item = el('p', { className: 'alert' + (kind === 'info' ? ' info' : ''), role: kind === 'info' ? 'status' : 'alert', 'data-testid': 'alert' });
		item.append(el('span', null, text));
		const close = el('button', { type: 'button', 'aria-label': 'Dismiss' }, '×');
		close.addEventListener('click', () => item.remove());
		item.append(close);
		const alerts = $('alerts');
		alerts.append(item);
		while (alerts.children.length > 4) {
			alerts.firstElementChild.remove();
		}
		setTimeout(() => item.remove(), ALERT_MS);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Tokens and REST.

	function decodeToken(token) {
		const parts = String(token).split('.');
		if (parts.length !== 3) {
			return null;
		}
		try {
			let base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
			while (base64.length % 4) {
				base64 += '=';
			}
			const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
			const claims = JSON.parse(new TextDecoder().decode(bytes));
			return (typeof claims.sub === 'string' && claims.sub) ? claims : null;
		}
		catch (e) {
			return null;
		}
	}

	function tokenExpired(marginMs) {
		return state.expiresAt > 0 && Date.now() + (marginMs || 0) >= state.expiresAt;
	}

	class ApiError extends Error {
		constructor(status, message) {
			super(message);
			this.status = status;
		}
	}

	/** A REST call; JSON in and out. Problem details (RFC 9457) become an ApiError with the problem's detail. */
	async function api(method, path, body, options) {
		const headers = { Accept: 'application/json, application/problem+json' };
		// Never send a token to the auth endpoints: a stale one would get a 401 there.
		if (state.token && !(options && options.anonymous)) {
			headers.Authorization = 'Bearer ' + state.token;
		}
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
		}
		let response;
		try {
			response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
		}
		catch (e) {
			throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
		}
		const text = await response.text();
		let data = null;
		if (text) {
			try {
				data = JSON.parse(text);
			}
			catch (e) {
				data = null;
			}
		}
		if (!response.ok) {
			const detail = data && (data.detail || data.title || data.message);
			throw new ApiError(response.status, detail ? String(detail) : 'The server answered ' + response.status + '.');
		}
		return data;
	}

	/** A 401 on an authenticated call means the token is no good any more: back to the login form. */
	function handleApiAuth(error) {
		if (error instanceof ApiError && error.status === 401 && state.token) {
			sessionExpired('Your session has ended (' + error.message + '). Log in again to continue.');
			return true;
		}
		return false;
	}

	// ---------------------------------------------------------------------------------------------------------
	// Log in, register, log out.

	function credentials() {
		const form = $('login-form');
		if (!form.reportValidity()) {
			return null;
		}
		return { username: $('login-username').value.trim(), password: $('login-password').value };
	}

	function setAuthBusy(busy) {
		$('login-submit').disabled = busy;
		$('register-submit').disabled = busy;
	}

	async function logIn(event) {
		event.preventDefault();
		await signIn(false);
	}

	async function register() {
		await signIn(true);
	}

	/** Logs in with the form's credentials, registering them first when asked to. */
	async function signIn(registerFirst) {
		const body = credentials();
		if (!body) {
			return;
		}
		$('auth-error').textContent = '';
		setAuthBusy(true);
		try {
			if (registerFirst) {
				await api('POST', '/api/auth/register', body, { anonymous: true });
			}
			const data = await api('POST', '/api/auth/login', body, { anonymous: true });
			$('login-password').value = '';
			acceptToken(data.accessToken, data.expiresIn);
		}
		catch (e) {
			$('auth-error').textContent = e.status === 404
				? 'This server does not offer ' + (registerFirst ? 'registration' : 'log-in') + ' yet. Use an access token instead.'
				: (registerFirst ? 'Registration' : 'Log-in') + ' failed: ' + e.message;
		}
		finally {
			setAuthBusy(false);
		}
	}

	function useTokenForm(event) {
		event.preventDefault();
		const token = $('token-input').value.trim();
		if (!acceptToken(token)) {
			$('auth-error').textContent = 'That is not a valid access token.';
			return;
		}
		$('token-input').value = '';
	}

	/**
	 * Takes a new token. The same user as before carries on where the session stopped (rooms kept, a live
	 * connection refreshed with /app/auth.refresh); another user starts afresh.
	 */
	function acceptToken(token, expiresInSeconds) {
		const claims = decodeToken(token);
		if (!claims) {
			return false;
		}
		let expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
		if (!expiresAt && expiresInSeconds) {
			expiresAt = Date.now() + expiresInSeconds * 1000;
		}
		if (expiresAt && expiresAt <= Date.now()) {
			sessionStorage.removeItem(TOKEN_KEY);
			showLogin('Your session has expired. Log in again.');
			return true;
		}
		const sameUser = state.user === claims.sub;
		if (!sameUser) {
			resetChat();
		}
		state.token = token;
		state.user = claims.sub;
		state.expiresAt = expiresAt;
		sessionStorage.setItem(TOKEN_KEY, token);
		scheduleExpiryWarning();
		showChat();
		if (sameUser && state.connected && publish('/app/auth.refresh', { token })) {
			return true;
		}
		connect();
		return true;
	}

	function scheduleExpiryWarning() {
		clearTimeout(state.expiryTimer);
		show($('session-banner'), false);
		if (!state.expiresAt) {
			return;
		}
		const warnIn = state.expiresAt - Date.now() - EXPIRY_WARNING_MS;
		state.expiryTimer = setTimeout(() => {
			$('session-banner-text').textContent = 'Your session ends at ' + formatTime(state.expiresAt) + '. Log in again to stay connected.';
			show($('session-banner'), true);
		}, Math.max(0, warnIn));
	}

	function logOut() {
		disconnect();
		sessionStorage.removeItem(TOKEN_KEY);
		state.token = null;
		state.user = null;
		state.expiresAt = 0;
		clearTimeout(state.expiryTimer);
		resetChat();
		showLogin();
	}

	/** The server refused the token: stop, keep the rooms (the same user may log back in), ask for a log-in. */
	function sessionExpired(reason) {
		disconnect();
		sessionStorage.removeItem(TOKEN_KEY);
		state.token = null;
		setConnectionState('disconnected', 'Signed out');
		showLogin(reason);
	}

	function showLogin(reason) {
		show($('chat-view'), false);
		show($('account'), false);
		show($('session-banner'), false);
		show($('login-view'), true);
		const reasonElement = $('login-reason');
		reasonElement.textContent = reason || '';
		show(reasonElement, Boolean(reason));
		if (state.user) {
			$('login-username').value = state.user;
		}
		(state.user ? $('login-password') : $('login-username')).focus();
	}

	function showChat() {
		show($('login-view'), false);
		show($('chat-view'), true);
		show($('account'), true);
		$('current-user').textContent = state.user;
		$('auth-error').textContent = '';
		renderRoomPanel();
	}

	// ---------------------------------------------------------------------------------------------------------
	// The connection: one stompjs Client per attempt, our own backoff between attempts.

	function setConnectionState(name, text) {
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

	function connect() {
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

	function disconnect() {
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

	function reconnectNow() {
		if (!state.stopped && !state.connected && state.token) {
			state.attempt = 0;
			clearTimeout(state.reconnectTimer);
			reconnect();
		}
	}

	function publish(destination, body) {
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

	function parse(frame) {
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

	// ---------------------------------------------------------------------------------------------------------
	// Rooms.

	function newRoom(name) {
		const log = el('ol', { className: 'room-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages in ' + name, 'data-testid': 'room-log', 'data-room': name });
		log.hidden = true;
		$('room-logs').append(log);
		return {
			name,
			log,
			subscriptions: [],
			seqs: new Set(),
			ids: new Set(),
			maxSeq: 0,
			oldestSeq: 0,
			users: [],
			typing: new Map(),
			ready: false,
			history: 'unknown',
			historyDone: false,
			historyError: null,
			loadingHistory: false,
			unread: 0,
		};
	}

	function activeRoom() {
		return state.active ? state.rooms.get(state.active) : null;
	}

	function joinRoom(name) {
		if (!ROOM_PATTERN.test(name)) {
			alertUser('Room names are 1 to 64 letters, digits, dashes or underscores.');
			return;
		}
		let room = state.rooms.get(name);
		if (!room) {
			room = newRoom(name);
			state.rooms.set(name, room);
			// History first, then the subscription "since" its newest message: the server replays whatever was
			// stored in between, so nothing falls through the gap between the two.
			loadHistory(room, false).finally(() => {
				room.ready = true;
				if (state.connected && state.rooms.get(name) === room && !room.subscriptions.length) {
					subscribeRoom(room);
					flushOutbox();
				}
			});
		}
		openRoom(name);
		refreshRoomsSoon();
	}

	function subscribeRoom(room) {
		const client = state.client;
		const topic = '/topic/chat/' + room.name;
		// Everything after the last message seen (the newest of the history on a first join); duplicates are
		// dropped by seq. Without stored history, a first join just listens.
		const headers = (room.maxSeq > 0 || room.history === 'stored') ? { 'since-seq': String(room.maxSeq) } : {};
		try {
			room.subscriptions = [
				client.subscribe(topic, (frame) => onRoomMessage(room, parse(frame), true), headers),
				client.subscribe(topic + '/users', (frame) => onRoomUsers(room, parse(frame))),
				client.subscribe(topic + '/typing', (frame) => onTyping(room, parse(frame))),
			];
		}
		catch (e) {
			room.subscriptions = [];
			return;
		}
		publish('/app/chat.join', { room: room.name });
	}

	function leaveRoom() {
		const room = activeRoom();
		if (!room) {
			return;
		}
		stopTyping();
		publish('/app/chat.leave', { room: room.name });
		dropRoom(room.name);
		refreshRoomsSoon();
	}

	function dropRoom(name) {
		const room = state.rooms.get(name);
		if (!room) {
			return;
		}
		for (const subscription of room.subscriptions) {
			try {
				subscription.unsubscribe();
			}
			catch (e) {
				// Not connected: nothing to undo.
			}
		}
		room.typing.forEach((timer) => clearTimeout(timer));
		room.log.remove();
		state.rooms.delete(name);
		state.outbox = state.outbox.filter((entry) => entry.room !== name);
		for (const [id, entry] of state.unacked) {
			if (entry.room === name) {
				state.unacked.delete(id);
			}
		}
		if (state.active === name) {
			const next = state.rooms.keys().next();
			state.active = null;
			if (!next.done) {
				openRoom(next.value);
				return;
			}
		}
		renderRoomPanel();
		renderRoomList();
	}

	function openRoom(name) {
		if (state.active !== name) {
			stopTyping();
		}
		state.active = name;
		const room = state.rooms.get(name);
		room.unread = 0;
		renderRoomPanel();
		renderRoomList();
		scrollToBottom();
	}

	function renderRoomPanel() {
		const room = activeRoom();
		$('room-title').textContent = room ? '#' + room.name : 'No room';
		show($('leave-room'), Boolean(room));
		show($('room-empty'), !room);
		$('chat-view').classList.toggle('has-room', Boolean(room));
		for (const other of state.rooms.values()) {
			other.log.hidden = other !== room;
		}
		$('message-input').disabled = !room;
		$('send-button').disabled = !room;
		$('message-input').setAttribute('aria-label', room ? 'Message to #' + room.name : 'Message');
		renderHistoryControls();
		renderRoomUsers();
		renderTyping();
	}

	function resetChat() {
		for (const name of Array.from(state.rooms.keys())) {
			dropRoom(name);
		}
		state.active = null;
		state.outbox = [];
		state.unacked.clear();
		state.privateMaxSeq = 0;
		state.online.clear();
		state.privateIds.clear();
		state.privateUnread = 0;
		state.connections = 0;
		$('private-messages').replaceChildren();
		$('notifications').replaceChildren();
		show($('notifications-empty'), true);
		show($('private-unread'), false);
		renderOnline();
		renderRoomPanel();
		renderRoomList();
	}

	let roomsRefreshTimer = null;

	function refreshRoomsSoon() {
		clearTimeout(roomsRefreshTimer);
		roomsRefreshTimer = setTimeout(refreshRooms, 400);
	}

	let listedRooms = [];

	async function refreshRooms() {
		if (!state.token) {
			return;
		}
		const status = $('rooms-status');
		try {
			const data = await api('GET', '/api/rooms');
			listedRooms = Array.isArray(data) ? data.filter((room) => room && typeof room.name === 'string') : [];
			show(status, listedRooms.length === 0 && state.rooms.size === 0);
			status.textContent = 'No rooms yet: join one by name or create one.';
		}
		catch (e) {
			if (handleApiAuth(e)) {
				return;
			}
			listedRooms = [];
			status.textContent = e.status === 404
				? 'This server does not list rooms yet: join a room by its name.'
				: 'Could not load the rooms: ' + e.message;
			show(status, true);
		}
		renderRoomList();
	}

	function renderRoomList() {
		const list = $('room-list');
		const rooms = new Map();
		for (const room of listedRooms) {
			rooms.set(room.name, room);
		}
		for (const name of state.rooms.keys()) {
			if (!rooms.has(name)) {
				rooms.set(name, { name, private: false, memberCount: null });
			}
		}
		const items = Array.from(rooms.values()).sort((a, b) => a.name.localeCompare(b.name));
		list.replaceChildren(...items.map((room) => {
			const joined = state.rooms.get(room.name);
			const button = el('button', {
				type: 'button',
				className: 'room-button',
				'data-testid': 'room-button',
				'data-room': room.name,
				'aria-current': state.active === room.name ? 'true' : false,
			});
			button.append(el('span', { className: 'room-name' }, '#' + room.name));
			const details = [];
			if (room.private) {
				details.push('private');
			}
			// A joined public room counts who is in it now, from its live user list.
			const count = (joined && !room.private && joined.users.length) ? joined.users.length : room.memberCount;
			if (typeof count === 'number') {
				details.push(count + (room.private ? ' members' : ' in room'));
			}
			if (details.length) {
				button.append(el('span', { className: 'room-meta' }, details.join(' · ')));
			}
			if (joined && joined.unread > 0) {
				button.append(el('span', { className: 'badge', 'aria-label': joined.unread + ' unread' }, String(joined.unread)));
			}
			else if (joined) {
				button.append(el('span', { className: 'joined-mark' }, 'joined'));
			}
			button.addEventListener('click', () => {
				joinRoom(room.name);
				$('message-input').focus();
			});
			return el('li', null).appendChild(button).parentElement;
		}));
	}

	async function createRoom(event) {
		event.preventDefault();
		const form = $('create-room-form');
		if (!form.reportValidity()) {
			return;
		}
		const name = $('create-room-name').value.trim();
		const isPrivate = $('create-room-private').checked;
		const members = isPrivate
			? $('create-room-members').value.split(/[\s,]+/).map((member) => member.trim()).filter(Boolean)
			: [];
		const status = $('create-room-status');
		const invalid = members.find((member) => !USER_PATTERN.test(member));
		if (invalid) {
			status.textContent = '"' + invalid + '" is not a username.';
			return;
		}
		status.textContent = 'Creating…';
		try {
			await api('POST', '/api/rooms', { name, private: isPrivate, members });
			status.textContent = 'Room #' + name + ' created.';
			form.reset();
			$('create-room-members').disabled = true;
			joinRoom(name);
			refreshRooms();
		}
		catch (e) {
			if (handleApiAuth(e)) {
				return;
			}
			status.textContent = e.status === 404
				? 'This server cannot create rooms yet: join a room by its name instead.'
				: 'Could not create the room: ' + e.message;
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Room messages: kept in seq order, each seq shown once, whether it came live, replayed or from history.

	function onRoomMessage(room, message, live) {
		if (!message || state.rooms.get(room.name) !== room) {
			return false;
		}
		const seq = typeof message.seq === 'number' ? message.seq : null;
		if (seq !== null ? room.seqs.has(seq) : (message.id && room.ids.has(message.id))) {
			return false;
		}
		const gapFrom = room.maxSeq;
		const wasEmpty = room.seqs.size === 0;
		if (seq !== null) {
			room.seqs.add(seq);
			room.maxSeq = Math.max(room.maxSeq, seq);
			room.oldestSeq = room.oldestSeq ? Math.min(room.oldestSeq, seq) : seq;
		}
		if (message.id) {
			room.ids.add(message.id);
		}
		const mine = message.type === 'CHAT' && message.sender === state.user;
		if (mine) {
			settlePending(room, message.content);
		}
		const stick = live && (isNearBottom() || mine);
		insertInOrder(room, renderMessage(message, mine), seq);
		if (live && seq !== null && !wasEmpty && seq > gapFrom + 1) {
			fillGap(room, gapFrom, seq);
		}
		if (live && message.type === 'CHAT' && room.name !== state.active) {
			room.unread++;
			renderRoomList();
		}
		if (message.type === 'CHAT' && room.typing.has(message.sender)) {
			clearTimeout(room.typing.get(message.sender));
			room.typing.delete(message.sender);
			renderTyping();
		}
		if (stick && room.name === state.active) {
			scrollToBottom();
		}
		return true;
	}

	function renderMessage(message, mine) {
		const type = typeof message.type === 'string' ? message.type : 'CHAT';
		const system = type === 'JOIN' || type === 'LEAVE';
		const item = el('li', {
			className: 'message' + (system ? ' system' : '') + (mine ? ' mine' : ''),
			'data-testid': 'message',
			'data-seq': typeof message.seq === 'number' ? message.seq : null,
			'data-type': type,
			'data-sender': message.sender,
			'data-time': message.timestamp,
		});
		item.append(el('span', { className: 'message-sender', 'data-testid': 'message-sender' }, message.sender));
		const time = el('time', { className: 'message-time', datetime: message.timestamp }, formatTime(message.timestamp));
		item.append(time);
		item.append(el('span', { className: 'message-content', 'data-testid': 'message-content' }, message.content));
		return item;
	}

	function insertInOrder(room, item, seq) {
		const log = room.log;
		let before = null;
		if (seq === null) {
			before = log.querySelector('.message.pending');
		}
		else if (!log.lastElementChild || (log.lastElementChild.dataset.seq && Number(log.lastElementChild.dataset.seq) < seq)) {
			before = null;
		}
		else {
			for (const other of log.children) {
				const otherSeq = other.dataset.seq ? Number(other.dataset.seq) : null;
				if ((otherSeq !== null && otherSeq > seq) || other.classList.contains('pending')) {
					before = other;
					break;
				}
			}
		}
		log.insertBefore(item, before);
		group(item);
		if (item.nextElementSibling) {
			group(item.nextElementSibling);
		}
	}

	/** A chat message right after one from the same sender, within five minutes, does not repeat the name. */
	function group(item) {
		const previous = item.previousElementSibling;
		const continued = Boolean(previous) && item.dataset.type === 'CHAT' && previous.dataset.type === 'CHAT'
			&& previous.dataset.sender === item.dataset.sender
			&& Math.abs(Date.parse(item.dataset.time) - Date.parse(previous.dataset.time)) < 300000;
		item.classList.toggle('continued', continued);
	}

	function isNearBottom() {
		const scroller = $('log-scroller');
		return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
	}

	function scrollToBottom() {
		const scroller = $('log-scroller');
		scroller.scrollTop = scroller.scrollHeight;
	}

	function onRoomUsers(room, users) {
		room.users = Array.isArray(users) ? users.filter((user) => typeof user === 'string') : [];
		for (const user of Array.from(room.typing.keys())) {
			if (!room.users.includes(user)) {
				clearTimeout(room.typing.get(user));
				room.typing.delete(user);
			}
		}
		if (room.name === state.active) {
			renderRoomUsers();
			renderTyping();
		}
		renderRoomList();
	}

	function renderRoomUsers() {
		const room = activeRoom();
		const users = room ? room.users : [];
		$('room-users-count').textContent = room ? '(' + users.length + ')' : '';
		$('room-users').replaceChildren(...users.map((user) => personItem(user)));
	}

	function personItem(user, withMessageButton) {
		const item = el('li', { 'data-testid': 'person', 'data-user': user });
		item.append(el('span', { className: 'name' }, user));
		if (user === state.user) {
			item.append(el('span', { className: 'you' }, 'you'));
		}
		else if (withMessageButton) {
			const button = el('button', { type: 'button', className: 'small', 'aria-label': 'Send a private message to ' + user }, 'Message');
			button.addEventListener('click', () => {
				$('private-recipient').value = user;
				$('private-input').focus();
			});
			item.append(button);
		}
		return item;
	}

	// ---------------------------------------------------------------------------------------------------------
	// History: GET /api/rooms/{room}/messages (newest page on join, older ones when scrolling up, gaps).

	function historyPath(room, query) {
		return '/api/rooms/' + encodeURIComponent(room.name) + '/messages?' + new URLSearchParams(query).toString();
	}

	function historyItems(data) {
		if (Array.isArray(data)) {
			return data;
		}
		if (data && Array.isArray(data.messages)) {
			return data.messages;
		}
		if (data && Array.isArray(data.content)) {
			return data.content;
		}
		return [];
	}

	/**
	 * Loads the newest page of a room's history (on join) or the page before the oldest message shown. A 404 means
	 * the server keeps no history (or none for this room): the room then shows what arrives from now on.
	 */
	async function loadHistory(room, older) {
		if (room.loadingHistory || room.history === 'none' || (older && room.historyDone)) {
			return;
		}
		room.loadingHistory = true;
		const query = { limit: HISTORY_PAGE };
		if (older && room.oldestSeq) {
			query.before = room.oldestSeq;
		}
		const scroller = $('log-scroller');
		const fromBottom = scroller.scrollHeight - scroller.scrollTop;
		room.log.setAttribute('aria-busy', 'true');
		try {
			const messages = historyItems(await api('GET', historyPath(room, query)));
			room.history = 'stored';
			for (const message of messages) {
				onRoomMessage(room, message, false);
			}
			if (messages.length < HISTORY_PAGE || room.oldestSeq === 1) {
				room.historyDone = true;
			}
			if (room.name === state.active) {
				if (older) {
					scroller.scrollTop = scroller.scrollHeight - fromBottom;
				}
				else {
					scrollToBottom();
				}
			}
		}
		catch (e) {
			if (handleApiAuth(e)) {
				return;
			}
			if (e.status === 404) {
				room.history = 'none';
			}
			else {
				room.historyError = 'Could not load older messages: ' + e.message;
			}
			room.historyDone = true;
		}
		finally {
			room.loadingHistory = false;
			room.log.removeAttribute('aria-busy');
			renderHistoryControls();
		}
	}

	/**
	 * Fetches the stored messages between two seqs, page by page (a live message skipped some, or the server could
	 * not replay everything). Without {@code before}, catches up to the newest.
	 */
	async function fillGap(room, after, before) {
		if (room.history === 'none' || room.fillingGap) {
			return;
		}
		room.fillingGap = true;
		try {
			let from = after;
			for (let page = 0; page < GAP_PAGES_MAX; page++) {
				const query = { after: from, limit: GAP_PAGE };
				if (before) {
					query.before = before;
				}
				const messages = historyItems(await api('GET', historyPath(room, query)));
				for (const message of messages) {
					onRoomMessage(room, message, false);
					if (typeof message.seq === 'number') {
						from = Math.max(from, message.seq);
					}
				}
				if (messages.length < GAP_PAGE || state.rooms.get(room.name) !== room) {
					break;
				}
			}
		}
		catch (e) {
			handleApiAuth(e);
		}
		finally {
			room.fillingGap = false;
		}
	}

	function renderHistoryControls() {
		const room = activeRoom();
		const status = $('history-status');
		if (!room) {
			show($('load-older'), false);
			show(status, false);
			return;
		}
		show($('load-older'), room.history === 'stored' && !room.historyDone);
		$('load-older').disabled = room.loadingHistory;
		if (room.historyError) {
			status.textContent = room.historyError;
		}
		else if (room.history === 'none') {
			status.textContent = 'No stored history here: you see the messages since you joined.';
		}
		else if (room.history === 'stored' && room.historyDone) {
			status.textContent = 'This is the beginning of #' + room.name + '.';
		}
		else {
			status.textContent = '';
		}
		show(status, Boolean(status.textContent));
	}

	function onLogScroll() {
		const room = activeRoom();
		if (room && $('log-scroller').scrollTop < 40 && room.history === 'stored' && !room.historyDone) {
			loadHistory(room, true);
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Sending, with an outbox for what is written while the connection is down.

	function sendMessage(event) {
		event.preventDefault();
		const room = activeRoom();
		const input = $('message-input');
		const content = input.value;
		if (!room || !content.trim()) {
			return;
		}
		stopTyping();
		const entry = { room: room.name, content, clientMessageId: newId() };
		// Not connected, or the room not joined on this connection yet: kept, shown as "sending", sent when it is.
		if (!room.subscriptions.length || !publishEntry(entry)) {
			state.outbox.push(entry);
			const pending = renderMessage({ sender: state.user, content, type: 'CHAT', timestamp: new Date().toISOString() }, true);
			pending.classList.add('pending');
			pending.dataset.pending = 'true';
			pending.dataset.clientMessageId = entry.clientMessageId;
			room.log.append(pending);
			group(pending);
		}
		input.value = '';
		scrollToBottom();
	}

	/** Sends with a receipt; until it comes (after the server stored the message), the entry may be resent. */
	function publishEntry(entry) {
		if (!state.client || !state.connected) {
			return false;
		}
		const receipt = 'send-' + entry.clientMessageId;
		try {
			state.client.watchForReceipt(receipt, () => state.unacked.delete(entry.clientMessageId));
			state.client.publish({
				destination: '/app/chat.send',
				body: JSON.stringify({ room: entry.room, content: entry.content, clientMessageId: entry.clientMessageId }),
				headers: { receipt },
			});
		}
		catch (e) {
			return false;
		}
		state.unacked.set(entry.clientMessageId, entry);
		return true;
	}

	/** After (re)connecting: what was sent but never acknowledged, then what was written while offline. */
	function flushOutbox() {
		const waiting = Array.from(state.unacked.values()).concat(state.outbox);
		state.unacked.clear();
		state.outbox = [];
		for (const entry of waiting) {
			const room = state.rooms.get(entry.room);
			if (room && (!room.subscriptions.length || !publishEntry(entry))) {
				// Not joined again yet (its history is still loading): sent once it is.
				state.outbox.push(entry);
			}
		}
	}

	function settlePending(room, content) {
		for (const pending of room.log.querySelectorAll('.message.pending')) {
			if (pending.querySelector('.message-content').textContent === content) {
				pending.remove();
				return;
			}
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Typing: "true" when typing starts (again every few seconds while it goes on), "false" after a pause or on send.

	function onComposerInput() {
		const room = activeRoom();
		if (!room || !state.connected) {
			return;
		}
		if (!$('message-input').value) {
			stopTyping();
			return;
		}
		const now = Date.now();
		if (state.typingRoom !== room.name || now - state.typingSentAt > TYPING_RESEND_MS) {
			if (state.typingRoom && state.typingRoom !== room.name) {
				stopTyping();
			}
			if (publish('/app/chat.typing', { room: room.name, typing: true })) {
				state.typingRoom = room.name;
				state.typingSentAt = now;
			}
		}
		clearTimeout(state.typingTimer);
		state.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
	}

	function stopTyping() {
		clearTimeout(state.typingTimer);
		state.typingTimer = null;
		if (state.typingRoom) {
			const room = state.typingRoom;
			state.typingRoom = null;
			state.typingSentAt = 0;
			if (state.rooms.has(room)) {
				publish('/app/chat.typing', { room, typing: false });
			}
		}
	}

	function onTyping(room, indicator) {
		if (!indicator || typeof indicator.user !== 'string' || indicator.user === state.user) {
			return;
		}
		clearTimeout(room.typing.get(indicator.user));
		if (indicator.typing) {
			room.typing.set(indicator.user, setTimeout(() => {
				room.typing.delete(indicator.user);
				renderTyping();
			}, TYPING_EXPIRE_MS));
		}
		else {
			room.typing.delete(indicator.user);
		}
		if (room.name === state.active) {
			renderTyping();
		}
	}

	function renderTyping() {
		const room = activeRoom();
		const users = room ? Array.from(room.typing.keys()).sort() : [];
		let text = '';
		if (users.length === 1) {
			text = users[0] + ' is typing…';
		}
		else if (users.length === 2) {
			text = users[0] + ' and ' + users[1] + ' are typing…';
		}
		else if (users.length > 2) {
			text = users.length + ' people are typing…';
		}
		$('typing-indicator').textContent = text;
	}

	// ---------------------------------------------------------------------------------------------------------
	// Presence, private messages, notifications and announcements.

	async function refreshPresence() {
		try {
			const data = await api('GET', '/api/presence');
			if (data && Array.isArray(data.online)) {
				state.online = new Set(data.online.filter((user) => typeof user === 'string'));
				renderOnline();
			}
		}
		catch (e) {
			handleApiAuth(e);
		}
	}

	function onPresence(event) {
		if (!event || typeof event.user !== 'string') {
			return;
		}
		if (event.status === 'online') {
			state.online.add(event.user);
		}
		else if (event.status === 'offline') {
			state.online.delete(event.user);
		}
		renderOnline();
	}

	function renderOnline() {
		const users = Array.from(state.online).sort();
		$('online-count').textContent = users.length ? '(' + users.length + ')' : '';
		$('online-users').replaceChildren(...users.map((user) => personItem(user, true)));
		$('online-datalist').replaceChildren(...users.filter((user) => user !== state.user).map((user) => el('option', { value: user })));
	}

	function sendPrivate(event) {
		event.preventDefault();
		if (!$('private-form').reportValidity()) {
			return;
		}
		const recipient = $('private-recipient').value.trim();
		const text = $('private-input').value;
		if (!text.trim()) {
			return;
		}
		if (!publish('/app/private', { recipient, text })) {
			alertUser('Not connected: the private message was not sent. Try again in a moment.');
			return;
		}
		$('private-input').value = '';
	}

	function onPrivateMessage(message) {
		if (!message || (message.id && state.privateIds.has(message.id))) {
			return;
		}
		if (message.id) {
			state.privateIds.add(message.id);
		}
		if (typeof message.seq === 'number') {
			state.privateMaxSeq = Math.max(state.privateMaxSeq, message.seq);
		}
		const mine = message.sender === state.user;
		const item = el('li', { className: mine ? 'mine' : '', 'data-testid': 'private-message', 'data-sender': message.sender, 'data-recipient': message.recipient });
		const head = el('span', { className: 'pm-head' });
		head.textContent = (mine ? 'To ' + message.recipient : 'From ' + message.sender) + ' · ' + formatTime(message.timestamp);
		item.append(head, el('span', { className: 'pm-text', 'data-testid': 'private-text' }, message.text));
		const log = $('private-messages');
		log.append(item);
		while (log.children.length > PRIVATE_SHOWN) {
			log.firstElementChild.remove();
		}
		log.scrollTop = log.scrollHeight;
		if (!mine) {
			state.privateUnread++;
			const badge = $('private-unread');
			badge.textContent = String(state.privateUnread);
			badge.setAttribute('aria-label', state.privateUnread + ' new');
			show(badge, true);
			if (!$('private-recipient').value) {
				$('private-recipient').value = message.sender;
			}
		}
	}

	function clearPrivateUnread() {
		state.privateUnread = 0;
		show($('private-unread'), false);
	}

	function onNotification(payload, kind) {
		let head;
		let text;
		if (kind === 'announcement') {
			head = 'Announcement' + (payload && payload.sender ? ' from ' + payload.sender : '');
			text = payload && payload.text !== undefined ? payload.text : JSON.stringify(payload);
		}
		else {
			head = 'Notification' + (payload && payload.title ? ': ' + payload.title : '');
			const body = payload && (payload.text || payload.message || payload.body);
			text = typeof body === 'string' ? body : JSON.stringify(payload);
		}
		const timestamp = payload && payload.timestamp ? payload.timestamp : new Date().toISOString();
		const item = el('li', { 'data-testid': 'notification', 'data-kind': kind });
		item.append(el('span', { className: 'note-head' }, head + ' · ' + formatTime(timestamp)));
		item.append(el('span', { className: 'note-text', 'data-testid': 'notification-text' }, String(text)));
		const list = $('notifications');
		list.append(item);
		while (list.children.length > 50) {
			list.firstElementChild.remove();
		}
		list.scrollTop = list.scrollHeight;
		show($('notifications-empty'), false);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Start-up.

	function readFragment() {
		if (!location.hash || location.hash.length < 2) {
			return;
		}
		const params = new URLSearchParams(location.hash.slice(1));
		const token = params.get('token');
		const transport = params.get('transport');
		if (token) {
			sessionStorage.setItem(TOKEN_KEY, token);
		}
		if (transport && TRANSPORT_LABELS[transport]) {
			localStorage.setItem(TRANSPORT_KEY, transport);
		}
		if (token || transport) {
			// Keep the token out of the address bar and the history.
			history.replaceState(null, '', location.pathname + location.search);
		}
	}

	function changeTransport() {
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

	function bind() {
		$('login-form').addEventListener('submit', logIn);
		$('register-submit').addEventListener('click', register);
		$('token-form').addEventListener('submit', useTokenForm);
		$('logout').addEventListener('click', logOut);
		$('transport').addEventListener('change', changeTransport);
		$('reconnect-now').addEventListener('click', reconnectNow);
		$('session-renew').addEventListener('click', () => showLogin('Log in again to stay connected; your rooms stay open.'));
		$('rooms-refresh').addEventListener('click', refreshRooms);
		$('join-form').addEventListener('submit', (event) => {
			event.preventDefault();
			if (!$('join-form').reportValidity()) {
				return;
			}
			const name = $('join-room-name').value.trim();
			$('join-room-name').value = '';
			joinRoom(name);
			$('message-input').focus();
		});
		$('create-room-form').addEventListener('submit', createRoom);
		$('create-room-private').addEventListener('change', () => {
			$('create-room-members').disabled = !$('create-room-private').checked;
		});
		$('leave-room').addEventListener('click', leaveRoom);
		$('load-older').addEventListener('click', () => {
			const room = activeRoom();
			if (room) {
				loadHistory(room, true);
			}
		});
		$('log-scroller').addEventListener('scroll', onLogScroll, { passive: true });
		$('message-form').addEventListener('submit', sendMessage);
		$('message-input').addEventListener('input', onComposerInput);
		$('message-input').addEventListener('blur', stopTyping);
		$('private-form').addEventListener('submit', sendPrivate);
		$('private-messages').addEventListener('focusin', clearPrivateUnread);
		$('private-input').addEventListener('focus', clearPrivateUnread);
		window.addEventListener('online', reconnectNow);
		window.addEventListener('offline', () => {
			if (!state.stopped && !state.connected) {
				setConnectionState('reconnecting', 'Offline, waiting for the network…');
			}
		});
	}

	function start() {
		bind();
		readFragment();
		const transport = localStorage.getItem(TRANSPORT_KEY);
		state.transport = TRANSPORT_LABELS[transport] ? transport : 'websocket';
		$('transport').value = state.transport;
		setConnectionState('disconnected', 'Not connected');
		const token = sessionStorage.getItem(TOKEN_KEY);
		if (!token || !acceptToken(token)) {
			sessionStorage.removeItem(TOKEN_KEY);
			showLogin();
		}
	}

	start();
})();
