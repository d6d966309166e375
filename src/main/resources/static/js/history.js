/*
 * History: GET /api/rooms/{room}/messages (newest page on join, older ones when scrolling up, gaps).
 */

import { $, show } from './dom.js';
import { state } from './state.js';
import { api, handleApiAuth } from './api.js';
import { activeRoom } from './rooms.js';
import { onRoomMessage, scrollToBottom } from './messages.js';

const HISTORY_PAGE = 50;
const GAP_PAGE = 100;
const GAP_PAGES_MAX = 30;

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
export async function loadHistory(room, older) {
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
export async function fillGap(room, after, before) {
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

export function renderHistoryControls() {
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

export function onLogScroll() {
	const room = activeRoom();
	if (room && $('log-scroller').scrollTop < 40 && room.history === 'stored' && !room.historyDone) {
		loadHistory(room, true);
	}
}
