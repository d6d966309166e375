/*
 * Sending, with an outbox for what is written while the connection is down. Chat messages are sent with a receipt;
 * those not acknowledged when the connection drops (and those written while it was down) are sent again after
 * reconnecting, with the same clientMessageId, which the server de-duplicates.
 */

import { $, newId } from './dom.js';
import { state } from './state.js';
import { activeRoom } from './rooms.js';
import { group, renderMessage, scrollToBottom } from './messages.js';
import { stopTyping } from './typing.js';

export function sendMessage(event) {
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
export function flushOutbox() {
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

export function settlePending(room, content) {
	for (const pending of room.log.querySelectorAll('.message.pending')) {
		if (pending.querySelector('.message-content').textContent === content) {
			pending.remove();
			return;
		}
	}
}
