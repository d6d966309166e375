/*
 * Typing: "true" when typing starts (again every few seconds while it goes on), "false" after a pause or on send;
 * who else is typing in the open room.
 */

import { $ } from './dom.js';
import { state } from './state.js';
import { publish } from './connection.js';
import { activeRoom } from './rooms.js';

const TYPING_IDLE_MS = 2500;
const TYPING_RESEND_MS = 4000;
const TYPING_EXPIRE_MS = 7000;

export function onComposerInput() {
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

export function stopTyping() {
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

export function onTyping(room, indicator) {
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

export function renderTyping() {
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
