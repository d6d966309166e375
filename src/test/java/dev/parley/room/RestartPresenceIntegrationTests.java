package dev.parley.room;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.parley.ParleyApplication;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static dev.parley.support.StompTestClient.nextMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart is quiet: users who were in a room and reconnect within the restart grace
 * (here 3 s) are not announced as joining again, and those who do not come back leave at
 * its end.
 */
class RestartPresenceIntegrationTests {

	@TempDir
	Path data;

	@Test
	void usersWhoComeBackAreNotAnnouncedAgainAndTheOthersLeaveAtTheEndOfTheGrace() throws Exception {
		String url = "jdbc:h2:file:" + this.data.resolve("parley");
		ConfigurableApplicationContext before = start(url);
		try (StompTestClient alice = connect(before, "alice"); StompTestClient bob = connect(before, "bob")) {
			BlockingQueue<JsonNode> users = alice.subscribe("/topic/chat/lobby/users");
			alice.send("/app/chat.join", Map.of("room", "lobby"));
			bob.send("/app/chat.join", Map.of("room", "lobby"));
			// Until both are in.
			nextMatching(users, (list) -> list.toString().equals("[\"alice\",\"bob\"]"));
			// The node stops while its clients are still connected, as in a drain: the
			// node closes their sessions and the users stay in their rooms for the next
			// start. (Clients that disconnected first would have left.)
			before.close();
		}
		finally {
			before.close();
		}
		try (ConfigurableApplicationContext after = start(url); StompTestClient alice = connect(after, "alice")) {
			BlockingQueue<JsonNode> room = alice.subscribe("/topic/chat/lobby");
			alice.send("/app/chat.join", Map.of("room", "lobby"));
			alice.assertNoErrors();
			JsonNode first = next(room);
			assertThat(first.get("type").asString()).as("no JOIN for alice's return; bob leaves when the grace ends")
				.isEqualTo("LEAVE");
			assertThat(first.get("content").asString()).isEqualTo("bob left the chat");
			assertThat(room).isEmpty();
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(ParleyApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url, "--parley.rooms.restart-grace=3s", "--parley.drain.window=0s",
				"--parley.security.jwt.secret=" + TestTokens.SECRET);
	}

	private static StompTestClient connect(ConfigurableApplicationContext context, String user) {
		return StompTestClient.connectAs(Transport.WEBSOCKET, TestHttp.port(context), user);
	}

}
