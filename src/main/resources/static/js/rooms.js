/*
 * Rooms: joining (history first, then the subscription "since" its newest message), leaving, the open room, the
 * room list and creating rooms, and who is in a room.
 */

import { $, el, show, alertUser } from './dom.js';
import { state } from './state.js';
import { api, handleApiAuth } from './api.js';
import { parse, publish } from './connection.js';
import { loadHistory, renderHistoryControls } from './history.js';
import { onRoomMessage, scrollToBottom } from './messages.js';
import { flushOutbox } from './sending.js';
import { onTyping, renderTyping, stopTyping } from './typing.js';
import { personItem } from './presence.js';

const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const USER_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

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

export function activeRoom() {
	return state.active ? state.rooms.get(state.active) : null;
}

export function joinRoom(name) {
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

export function subscribeRoom(room) {
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

export function leaveRoom() {
	const room = activeRoom();
	if (!room) {
		return;
	}
	stopTyping();
	publish('/app/chat.leave', { room: room.name });
	dropRoom(room.name);
	refreshRoomsSoon();
}

export function dropRoom(name) {
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

export function renderRoomPanel() {
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

let roomsRefreshTimer = null;

function refreshRoomsSoon() {
	clearTimeout(roomsRefreshTimer);
	roomsRefreshTimer = setTimeout(refreshRooms, 400);
}

let listedRooms = [];

/** Forgets the rooms the server listed for the user who is leaving the page. */
export function forgetListedRooms() {
	clearTimeout(roomsRefreshTimer);
	listedRooms = [];
}

export async function refreshRooms() {
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

export function renderRoomList() {
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

export async function createRoom(event) {
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
