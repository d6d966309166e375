/*
 * What several modules share: the page's state, the storage keys and the transports. What only one module needs
 * (its limits, timers, caches) stays in that module.
 */

export const TOKEN_KEY = 'parley.token';
export const TRANSPORT_KEY = 'parley.transport';
export const TRANSPORT_LABELS = { websocket: 'WebSocket', sockjs: 'SockJS', 'sockjs-http': 'SockJS over HTTP' };

export const state = {
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
