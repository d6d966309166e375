/*
 * Parley's chat page: plain JavaScript, no build step, no external request. This module starts the page and wires
 * its elements to the others; index.html loads only this one.
 *
 * The page is native ES modules that the browser loads as they are. Module scripts run after the deferred classic
 * scripts before them in index.html, so the StompJs and SockJS globals are there, and nothing of the page's own
 * leaks into window. The modules import each other in cycles (rooms and the connection call each other, for one),
 * which is fine while no module calls into another as it loads: the one call made then is start(), at the end of
 * this module, and the browser runs it after every module it imports.
 *
 * Token injection, for tests and for scripts/dev-token.sh: open the page as /#token=<jwt> and the token is moved
 * into sessionStorage and removed from the address bar. "#transport=sockjs" (or "sockjs-http", "websocket") picks
 * the transport the same way; both may be combined with "&".
 */

import { $ } from './dom.js';
import { state, TOKEN_KEY, TRANSPORT_KEY, TRANSPORT_LABELS } from './state.js';
import { acceptToken, logIn, logOut, register, showLogin, useTokenForm } from './account.js';
import { changeTransport, reconnectNow, setConnectionState } from './connection.js';
import { activeRoom, createRoom, joinRoom, leaveRoom, refreshRooms } from './rooms.js';
import { loadHistory, onLogScroll } from './history.js';
import { sendMessage } from './sending.js';
import { onComposerInput, stopTyping } from './typing.js';
import { clearPrivateUnread, sendPrivate } from './private.js';

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
