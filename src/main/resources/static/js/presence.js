/*
 * Presence: who is online (a list from the REST API, then online and offline events), and the people lists.
 */

import { $, el } from './dom.js';
import { state } from './state.js';
import { api, handleApiAuth } from './api.js';

export async function refreshPresence() {
	try {
		const data = await api('GET', '/api/presence');
		if (data && Array.isArray(data.online)) {
			state.online = new Set(data.online.filter((user) => typeof user === 'string'));
			renderOnline();
		}
	}
	catch (e) {
		handleApiAuth(e);
	}
}

export function onPresence(event) {
	if (!event || typeof event.user !== 'string') {
		return;
	}
	if (event.status === 'online') {
		state.online.add(event.user);
	}
	else if (event.status === 'offline') {
		state.online.delete(event.user);
	}
	renderOnline();
}

export function renderOnline() {
	const users = Array.from(state.online).sort();
	$('online-count').textContent = users.length ? '(' + users.length + ')' : '';
	$('online-users').replaceChildren(...users.map((user) => personItem(user, true)));
	$('online-datalist').replaceChildren(...users.filter((user) => user !== state.user).map((user) => el('option', { value: user })));
}

export function personItem(user, withMessageButton) {
	const item = el('li', { 'data-testid': 'person', 'data-user': user });
	item.append(el('span', { className: 'name' }, user));
	if (user === state.user) {
		item.append(el('span', { className: 'you' }, 'you'));
	}
	else if (withMessageButton) {
		const button = el('button', { type: 'button', className: 'small', 'aria-label': 'Send a private message to ' + user }, 'Message');
		button.addEventListener('click', () => {
			$('private-recipient').value = user;
			$('private-input').focus();
		});
		item.append(button);
	}
	return item;
}
