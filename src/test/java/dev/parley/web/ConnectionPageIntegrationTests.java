package dev.parley.web;

import java.util.Map;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestConstructor;

import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.web.ChatPageIntegrationTests.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the chat page stays connected: SockJS for networks that block WebSocket,
 * reconnecting without losing or repeating messages when the server drops the connection,
 * and back to the login form when the server refuses the token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BrowserTestConfiguration.class)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class ConnectionPageIntegrationTests {

	@RegisterExtension
	static final Browsers browsers = new Browsers();

	private final int port;

	private final OpenSockets sockets;

	ConnectionPageIntegrationTests(@LocalServerPort int port, OpenSockets sockets) {
		this.port = port;
		this.sockets = sockets;
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "sockjs", "sockjs-http" })
	void sockJsTransportWorksEndToEnd(String transport) {
		String room = "sockjs-" + unique();
		ChatPage alice = browsers.open("alice", this.port).openWithToken(TestTokens.valid("alice"));
		alice.selectTransport(transport);
		alice.await("reconnected over " + transport,
				(d) -> alice.connections() == 2 && "connected".equals(alice.connectionState()));
		assertThat(alice.transport()).isEqualTo(transport);
		ChatPage bob = browsers.open("bob", this.port).openWithToken(TestTokens.valid("bob"));

		alice.join(room);
		bob.join(room);
		alice.send("Sent over " + transport);
		bob.awaitMessage("Sent over " + transport);
		bob.type("Typing to a SockJS user");
		alice.await("bob typing", (d) -> alice.typingIndicator().equals("bob is typing…"));
		bob.pressEnter();
		alice.awaitMessage("Typing to a SockJS user");
		alice.sendPrivate("bob", "Private over " + transport);
		bob.await("the private message", (d) -> bob.privateMessages().contains("alice>bob: Private over " + transport));

		assertThat(alice.chatMessages()).containsExactly("Sent over " + transport, "Typing to a SockJS user");
		assertThat(alice.roomUsers()).containsExactly("alice", "bob");
		// SockJS asks /ws/info first; frames go up through xhr_send only on its HTTP
		// transports.
		assertThat(alice.requestedUrls()).anyMatch((url) -> url.contains("/ws/info?access_token="));
		if (transport.equals("sockjs-http")) {
			assertThat(alice.requestedUrls()).anyMatch((url) -> url.contains("/xhr_send?access_token="));
		}
		else {
			assertThat(alice.requestedUrls()).noneMatch((url) -> url.contains("/xhr_send"));
		}
	}

	@Test
	void reconnectsAfterTheServerDropsTheConnectionAndShowsMissedMessagesOnce() throws Exception {
		String suffix = unique();
		String room = "reconnect-" + suffix;
		String aliceName = "alice-" + suffix;
		ChatPage alice = browsers.open(aliceName, this.port).openWithToken(TestTokens.valid(aliceName));
		alice.join(room);
		try (StompTestClient bob = StompTestClient.connectAs(Transport.WEBSOCKET, this.port, "bob")) {
			BlockingQueue<JsonNode> bobsRoom = bob.subscribe("/topic/chat/" + room);
			bob.send("/app/chat.join", Map.of("room", room));
			bob.send("/app/chat.send", Map.of("room", room, "content", "Before the drop"));
			alice.awaitMessage("Before the drop");

			// Offline first, so the page cannot reconnect before bob has sent what it is
			// to miss.
			alice.goOffline();
			assertThat(this.sockets.closeAllOf(aliceName)).isEqualTo(1);
			alice.await("the page noticing", (d) -> !"connected".equals(alice.connectionState()));
			for (int i = 1; i <= 3; i++) {
				bob.send("/app/chat.send", Map.of("room", room, "content", "Missed " + i));
			}
			bob.send("/app/private", Map.of("recipient", aliceName, "text", "Missed in private"));
			StompTestClient.nextMatching(bobsRoom, (message) -> message.path("content").asString().equals("Missed 3"));
			assertThat(alice.connections()).as("still the first connection: the page missed the messages").isEqualTo(1);
			alice.goOnline();

			alice.await("reconnected", (d) -> alice.connections() == 2 && "connected".equals(alice.connectionState()));
			bob.send("/app/chat.send", Map.of("room", room, "content", "After the reconnect"));
			alice.awaitMessage("After the reconnect");
			alice.await("the missed messages", (d) -> alice.chatMessages().contains("Missed 3"));
			alice.await("the missed private message", (d) -> !alice.privateMessages().isEmpty());

			assertThat(alice.chatMessages()).containsExactly("Before the drop", "Missed 1", "Missed 2", "Missed 3",
					"After the reconnect");
			assertThat(alice.seqs()).isSorted().doesNotHaveDuplicates();
			assertThat(alice.roomUsers()).containsExactly(aliceName, "bob");
			assertThat(alice.privateMessages()).containsExactly("bob>" + aliceName + ": Missed in private");
		}
	}

	@Test
	void messagesWrittenWhileDisconnectedAreSentOnceTheConnectionIsBack() throws Exception {
		String suffix = unique();
		String room = "offline-" + suffix;
		String aliceName = "alice-" + suffix;
		ChatPage alice = browsers.open(aliceName, this.port).openWithToken(TestTokens.valid(aliceName));
		ChatPage bob = browsers.open("bob", this.port).openWithToken(TestTokens.valid("bob"));
		alice.join(room);
		bob.join(room);

		alice.goOffline();
		assertThat(this.sockets.closeAllOf(aliceName)).isEqualTo(1);
		alice.await("the page noticing", (d) -> !"connected".equals(alice.connectionState()));
		alice.send("Written in a tunnel");
		assertThat(alice.pendingMessages()).containsExactly("Written in a tunnel");
		assertThat(alice.chatMessages()).isEmpty();
		// Still offline: this attempt fails, and the next one comes soon (the backoff
		// starts over).
		alice.retryNow();

		alice.goOnline();
		bob.awaitMessage("Written in a tunnel");
		alice.awaitMessage("Written in a tunnel");
		alice.await("nothing pending", (d) -> alice.pendingMessages().isEmpty());
		assertThat(alice.chatMessages()).containsExactly("Written in a tunnel");
		assertThat(bob.chatMessages()).containsExactly("Written in a tunnel");
		assertThat(alice.connections()).isEqualTo(2);
	}

	@Test
	void returnsToTheLoginFormWhenTheServerRefusesTheToken() {
		ChatPage alice = browsers.open("alice", this.port);
		alice.driver().get("http://localhost:" + this.port + "/#token=" + TestTokens.signedWithWrongKey("alice"));

		alice.await("the login form", (d) -> alice.showsLogin());
		assertThat(alice.loginReason()).startsWith("The server ended your session: ").contains("signature");
		assertThat(alice.storedToken()).isNull();
		assertThat(alice.connectionState()).isEqualTo("disconnected");
	}

}
