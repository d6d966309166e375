package dev.parley.presence;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/presence}: who is online now.
 */
@RestController
class PresenceController {

	private final PresenceTracker tracker;

	PresenceController(PresenceTracker tracker) {
		this.tracker = tracker;
	}

	@GetMapping("/api/presence")
	Online online() {
		return new Online(this.tracker.online());
	}

	record Online(List<String> online) {
	}

}
