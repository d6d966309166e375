/*
 * Small DOM helpers, and the alerts. Elements are built with createElement and filled with textContent, never with
 * HTML: user data (messages, usernames, room names, server error texts) is only ever set with textContent, in every
 * module.
 */

const ALERT_MS = 10000;

export const $ = (id) => document.getElementById(id);

export function el(tag, attributes, text) {
	const element = document.createElement(tag);
	if (attributes) {
		for (const [name, value] of Object.entries(attributes)) {
			if (name === 'className') {
				element.className = value;
			}
			else if (value !== undefined && value !== null && value !== false) {
				element.setAttribute(name, value === true ? '' : String(value));
			}
		}
	}
	if (text !== undefined && text !== null) {
		element.textContent = String(text);
	}
	return element;
}

export function show(element, visible) {
	element.hidden = !visible;
}

export function formatTime(timestamp) {
	const date = new Date(timestamp);
	if (Number.isNaN(date.getTime())) {
		return '';
	}
	return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function newId() {
	if (window.crypto && typeof window.crypto.randomUUID === 'function') {
		return window.crypto.randomUUID();
	}
	return 'c-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

export function alertUser(text, kind) {
	const item = el('p', { className: 'alert' + (kind === 'info' ? ' info' : ''), role: kind === 'info' ? 'status' : 'alert', 'data-testid': 'alert' });
	item.append(el('span', null, text));
	const close = el('button', { type: 'button', 'aria-label': 'Dismiss' }, '×');
	close.addEventListener('click', () => item.remove());
	item.append(close);
	const alerts = $('alerts');
	alerts.append(item);
	while (alerts.children.length > 4) {
		alerts.firstElementChild.remove();
	}
	setTimeout(() => item.remove(), ALERT_MS);
}
