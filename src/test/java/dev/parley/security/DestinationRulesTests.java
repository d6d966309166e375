package dev.parley.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationRulesTests {

	@ParameterizedTest
	@ValueSource(strings = { "/app/chat", "/app/private", "/app/chat.join", "/app/chat.send", "/app/chat.leave",
			"/app/chat.typing", "/app/auth.refresh" })
	void clientsMaySendToTheApplication(String destination) {
		assertThat(DestinationRules.maySend(destination)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/topic/messages", "/topic/chat/general", "/queue/private", "/user/queue/private",
			"/user/bob/queue/private", "/app/../topic/messages", "/app/chat/../../topic", "/app/%2e%2e/topic", "/app",
			"/app/", "/apps/chat", "" })
	void clientsMayNotSendAnywhereElse(String destination) {
		assertThat(DestinationRules.maySend(destination)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/topic/messages", "/topic/chat/general", "/topic/chat/general/users",
			"/topic/chat/general/typing", "/topic/chat/Room_1-b", "/topic/announcements", "/topic/presence",
			"/user/queue/private", "/user/queue/notifications", "/user/queue/errors" })
	void clientsMaySubscribeToTheContractsDestinations(String destination) {
		assertThat(DestinationRules.maySubscribe(destination)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/topic/chat/*", "/topic/chat/**", "/topic/**", "/topic/chat/general/secret",
			"/topic/chat/../messages", "/topic/chat/%2e%2e", "/topic/chat/a b", "/user/bob/queue/private",
			"/queue/private", "/queue/private-user1234", "/queue/errors-userabcd", "/app/chat", "/topic/other",
			"/user/queue/private/../errors", "/topic/chat/" })
	void clientsMayNotSubscribeAnywhereElse(String destination) {
		assertThat(DestinationRules.maySubscribe(destination)).isFalse();
	}

}
