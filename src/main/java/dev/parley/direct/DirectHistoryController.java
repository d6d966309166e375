package dev.parley.direct;

import java.security.Principal;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.history.DirectMessage;
import dev.parley.history.HistoryProperties;
import dev.parley.history.MessageStore;
import dev.parley.limits.ReadThrottle;

/**
 * {@code GET /api/direct/{user}/messages?after=&before=&limit=}: the caller's private
 * conversation with a user, the newest {@code limit} messages between {@code after} and
 * {@code before}, in {@code seq} order. A user's reads are held to
 * {@code parley.limits.read-rate} ({@link ReadThrottle}).
 */
@RestController
class DirectHistoryController {

	private final MessageStore store;

	private final HistoryProperties properties;

	private final ReadThrottle throttle;

	DirectHistoryController(MessageStore store, HistoryProperties properties, ReadThrottle throttle) {
		this.store = store;
		this.properties = properties;
		this.throttle = throttle;
	}

	@GetMapping("/api/direct/{user}/messages")
	List<DirectMessage> messages(@PathVariable String user, @RequestParam(required = false) @Nullable Long after,
			@RequestParam(required = false) @Nullable Long before, @RequestParam(defaultValue = "50") int limit,
			Principal principal) {
		this.throttle.acquire(principal.getName());
		return this.store.conversation(principal.getName(), user, (after != null) ? after : 0,
				(before != null) ? before : Long.MAX_VALUE,
				ApiProblem.requireBetween("limit", limit, 1, this.properties.maxPage()));
	}

}
