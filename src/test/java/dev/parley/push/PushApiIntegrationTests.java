package dev.parley.push;

import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.parley.support.Json;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend service gets a {@code SERVICE} token with its client credentials and pushes
 * into the chat; users see it over STOMP. Each endpoint's success, errors and
 * authorization.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushApiIntegrationTests {

	private static final String SECRET = "billing-secret-value-0123";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void serviceClient(DynamicPropertyRegistry registry) {
		String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(SECRET);
		registry.add("parley.services.clients.billing", () -> hash);
	}

	@Test
	void aServiceTokenPushesANotificationToEverySessionOfTheUser() throws Exception {
		String service = serviceToken();
		try (StompTestClient phone = connect("notified"); StompTestClient laptop = connect("notified")) {
			BlockingQueue<JsonNode> onPhone = phone.subscribe("/user/queue/notifications");
			BlockingQueue<JsonNode> onLaptop = laptop.subscribe("/user/queue/notifications");
			phone.sync();
			laptop.sync();
			HttpResponse<String> response = post("/api/users/notified/notifications",
					"{\"kind\":\"invoice\",\"amount\":42,\"paid\":false}", service);
			assertThat(response.statusCode()).isEqualTo(202);
			for (BlockingQueue<JsonNode> queue : new BlockingQueue[] { onPhone, onLaptop }) {
				JsonNode notification = next(queue);
				assertThat(notification.get("kind").asString()).isEqualTo("invoice");
				assertThat(notification.get("amount").asInt()).isEqualTo(42);
			}
		}
	}

	@Test
	void anAnnouncementReachesEveryone() throws Exception {
		try (StompTestClient anyone = connect("listener")) {
			BlockingQueue<JsonNode> announcements = anyone.subscribe("/topic/announcements");
			anyone.sync();
			HttpResponse<String> response = post("/api/announcements", "{\"text\":\"Maintenance at noon\"}",
					serviceToken());
			assertThat(response.statusCode()).isEqualTo(202);
			JsonNode announcement = next(announcements);
			assertThat(announcement.get("text").asString()).isEqualTo("Maintenance at noon");
			assertThat(announcement.get("sender").asString()).isEqualTo("billing");
			assertThat(announcement.get("id").asString()).isNotBlank();
			assertThat(announcement.get("timestamp").asString()).endsWith("Z");
		}
	}

	@Test
	void aServicePostsToARoomAndItIsStoredAndBroadcast() throws Exception {
		try (StompTestClient member = connect("room-member")) {
			BlockingQueue<JsonNode> room = member.subscribe("/topic/chat/ops");
			member.sync();
			HttpResponse<String> response = post("/api/rooms/ops/messages", "{\"content\":\"Deploy done\"}",
					serviceToken());
			assertThat(response.statusCode()).isEqualTo(201);
			JsonNode stored = Json.parse(response.body());
			assertThat(stored.get("type").asString()).isEqualTo("SERVICE");
			assertThat(stored.get("sender").asString()).isEqualTo("billing");
			JsonNode live = next(room);
			assertThat(live.get("seq").asLong()).isEqualTo(stored.get("seq").asLong());
			HttpResponse<String> history = TestHttp.on(this.port)
				.get("/api/rooms/ops/messages?after=" + (stored.get("seq").asLong() - 1),
						TestTokens.valid("room-member"));
			assertThat(Json.parse(history.body()).get(0).get("content").asString()).isEqualTo("Deploy done");
		}
	}

	@ParameterizedTest(name = "{0} {1} as {2}: {3}")
	@CsvSource(nullValues = "NONE",
			value = { "POST, /api/users/bob/notifications, USER, 403", "POST, /api/users/bob/notifications, ADMIN, 403",
					"POST, /api/users/bob/notifications, NONE, 401", "POST, /api/announcements, USER, 403",
					"POST, /api/announcements, ADMIN, 202", "POST, /api/announcements, NONE, 401",
					"POST, /api/rooms/open/messages, USER, 201", "POST, /api/rooms/open/messages, NONE, 401" })
	void whoMayPush(String method, String path, @Nullable String role, int status) throws Exception {
		String body = path.contains("announcements") ? "{\"text\":\"hi\"}"
				: path.contains("rooms") ? "{\"content\":\"hi\"}" : "{\"hello\":true}";
		String token = (role != null) ? TestTokens.withRoles("caller", role) : null;
		HttpResponse<String> response = post(path, body, token);
		assertThat(response.statusCode()).isEqualTo(status);
		if (status >= 400) {
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	@ParameterizedTest(name = "{0} {2}")
	@CsvSource(delimiter = '|',
			value = { "/api/announcements|{\"text\":\"\"}|400", "/api/announcements|not json|400",
					"/api/users/bad%20name/notifications|{}|400",
					"/api/rooms/no%20spaces/messages|{\"content\":\"x\"}|404", "/api/rooms/open/messages|{}|400" })
	void badInputIsAProblem(String path, String body, int status) throws Exception {
		HttpResponse<String> response = post(path, body, serviceToken());
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	@Test
	void wrongOrUnknownCredentialsGetA401() throws Exception {
		assertThat(post("/api/auth/service-token", "{\"clientId\":\"billing\",\"clientSecret\":\"guess\"}", null)
			.statusCode()).isEqualTo(401);
		assertThat(
				post("/api/auth/service-token", "{\"clientId\":\"nobody\",\"clientSecret\":\"" + SECRET + "\"}", null)
					.statusCode())
			.isEqualTo(401);
	}

	@Test
	void guessingASecretIsThrottledLikeALogin() throws Exception {
		for (int i = 0; i < 5; i++) {
			assertThat(post("/api/auth/service-token", "{\"clientId\":\"guessed\",\"clientSecret\":\"guess" + i + "\"}",
					null)
				.statusCode()).isEqualTo(401);
		}
		HttpResponse<String> locked = post("/api/auth/service-token",
				"{\"clientId\":\"guessed\",\"clientSecret\":\"guess again\"}", null);
		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(locked.headers().firstValue("Retry-After")).isPresent();
	}

	@Test
	void aPrivateRoomTakesPostsFromMembersAndServicesOnly() throws Exception {
		String owner = TestTokens.valid("vault-owner");
		assertThat(post("/api/rooms", "{\"name\":\"vault-post\",\"private\":true}", owner).statusCode()).isEqualTo(201);
		assertThat(post("/api/rooms/vault-post/messages", "{\"content\":\"x\"}", TestTokens.valid("outsider"))
			.statusCode()).isEqualTo(404);
		assertThat(post("/api/rooms/vault-post/messages", "{\"content\":\"x\"}", owner).statusCode()).isEqualTo(201);
		assertThat(post("/api/rooms/vault-post/messages", "{\"content\":\"x\"}", serviceToken()).statusCode())
			.isEqualTo(201);
	}

	private String serviceToken() throws Exception {
		HttpResponse<String> response = post("/api/auth/service-token",
				"{\"clientId\":\"billing\",\"clientSecret\":\"" + SECRET + "\"}", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode token = Json.parse(response.body());
		assertThat(token.get("tokenType").asString()).isEqualTo("Bearer");
		return token.get("accessToken").asString();
	}

	private StompTestClient connect(String user) {
		return StompTestClient.connectAs(Transport.WEBSOCKET, this.port, user);
	}

	private HttpResponse<String> post(String path, String body, @Nullable String token) {
		return TestHttp.on(this.port).post(path, body, token);
	}

}
