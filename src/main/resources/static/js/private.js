/*
 * Private messages: sending, the log of those sent and received (replayed by seq after a reload or a reconnect), the
 * unread badge.
 */

import { $, el, show, formatTime, alertUser } from './dom.js';
import { state } from './state.js';
import { publish } from './connection.js';

const PRIVATE_SHOWN = 200;

export function sendPrivate(event) {
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

export function onPrivateMessage(message) {
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

export function clearPrivateUnread() {
	state.privateUnread = 0;
	show($('private-unread'), false);
}
