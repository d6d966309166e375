/*
 * The REST API with fetch: JSON in and out, the access token as a bearer token, problem details as errors.
 */

import { state } from './state.js';
import { sessionExpired } from './account.js';

class ApiError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/** A REST call; JSON in and out. Problem details (RFC 9457) become an ApiError with the problem's detail. */
export async function api(method, path, body, options) {
	const headers = { Accept: 'application/json, application/problem+json' };
	// Never send a token to the auth endpoints: a stale one would get a 401 there.
	if (state.token && !(options && options.anonymous)) {
		headers.Authorization = 'Bearer ' + state.token;
	}
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
	}
	let response;
	try {
		response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
	}
	catch (e) {
		throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
	}
	const text = await response.text();
	let data = null;
	if (text) {
		try {
			data = JSON.parse(text);
		}
		catch (e) {
			data = null;
		}
	}
	if (!response.ok) {
		const detail = data && (data.detail || data.title || data.message);
		throw new ApiError(response.status, detail ? String(detail) : 'The server answered ' + response.status + '.');
	}
	return data;
}

/** A 401 on an authenticated call means the token is no good any more: back to the login form. */
export function handleApiAuth(error) {
	if (error instanceof ApiError && error.status === 401 && state.token) {
		sessionExpired('Your session has ended (' + error.message + '). Log in again to continue.');
		return true;
	}
	return false;
}
