/*
 * Who is signed in: log-in, registration and log-out, the access token and its end, and which view shows (the login
 * form or the chat). The token lives in sessionStorage ("parley.token"): one tab, gone when the tab closes.
 */

import { $, show, formatTime } from './dom.js';
import { state, TOKEN_KEY } from './state.js';
import { api } from './api.js';
import { connect, disconnect, publish, setConnectionState } from './connection.js';
import { dropRoom, forgetListedRooms, renderRoomList, renderRoomPanel } from './rooms.js';
import { renderOnline } from './presence.js';

const EXPIRY_WARNING_MS = 120000;

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

export function tokenExpired(marginMs) {
	return state.expiresAt > 0 && Date.now() + (marginMs || 0) >= state.expiresAt;
}

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

export async function logIn(event) {
	event.preventDefault();
	await signIn(false);
}

export async function register() {
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

export function useTokenForm(event) {
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
export function acceptToken(token, expiresInSeconds) {
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

export function logOut() {
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
export function sessionExpired(reason) {
	disconnect();
	sessionStorage.removeItem(TOKEN_KEY);
	state.token = null;
	setConnectionState('disconnected', 'Signed out');
	showLogin(reason);
}

export function showLogin(reason) {
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

/** Another user, or none: nothing of the previous user's chat may stay on the page. */
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
	// The rooms listed for the previous user, private ones included.
	forgetListedRooms();
	renderRoomList();
}
