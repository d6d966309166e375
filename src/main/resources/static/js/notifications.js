/*
 * Notifications to this user and announcements to everyone, newest last.
 */

import { $, el, show, formatTime } from './dom.js';

export function onNotification(payload, kind) {
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
