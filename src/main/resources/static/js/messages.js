/*
 * A room's log. Messages are kept in seq order, each seq shown once, whether it came live, replayed or from history;
 * a live message that skips seqs has the gap filled from history.
 */

import { $, el, formatTime } from './dom.js';
import { state } from './state.js';
import { renderRoomList } from './rooms.js';
import { fillGap } from './history.js';
import { settlePending } from './sending.js';
import { renderTyping } from './typing.js';

export function onRoomMessage(room, message, live) {
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

export function renderMessage(message, mine) {
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
export function group(item) {
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

export function scrollToBottom() {
	const scroller = $('log-scroller');
	scroller.scrollTop = scroller.scrollHeight;
}
