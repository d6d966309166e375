package dev.parley.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestConstructor;

import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The chat page in real headless Chromium browsers against a running server: people
 * chatting in a room, room history, private messages, private rooms, notifications and
 * announcements, text that looks like HTML, and the page on a phone-sized screen, used
 * from the keyboard.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BrowserTestConfiguration.class)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class ChatPageIntegrationTests {

	@RegisterExtension
	static final Browsers browsers = new Browsers();

	private final int port;

	ChatPageIntegrationTests(@LocalServerPort int port) {
		this.port = port;
	}

	@Test
	void twoPeopleRegisterJoinARoomAndSeeEachOthersMessagesUsersAndTyping() {
		String suffix = unique();
		String aliceName = "alice_" + suffix;
		String bobName = "bob_" + suffix;
		String room = "lobby-" + suffix;
		ChatPage alice = browsers.open(aliceName, this.port).open();
		alice.register(aliceName, "correct horse battery");
		alice.awaitConnected();
		ChatPage bob = browsers.open(bobName, this.port).open();
		bob.register(bobName, "staple battery horse");
		bob.awaitConnected();
		assertThat(alice.currentUser()).isEqualTo(aliceName);
		assertThat(bob.currentUser()).isEqualTo(bobName);

		alice.join(room);
		bob.join(room);
		alice.await("bob in the room's user list", (d) -> alice.roomUsers().contains(bobName));
		assertThat(alice.roomUsers()).containsExactly(aliceName, bobName);
		assertThat(bob.roomUsers()).containsExactly(aliceName, bobName);

		alice.send("Hello Bob!");
		bob.awaitMessage("Hello Bob!");
		bob.send("Hi Alice, good to see you.");
		alice.awaitMessage("Hi Alice, good to see you.");

		bob.type("I am writing a long");
		alice.await("bob typing", (d) -> alice.typingIndicator().equals(bobName + " is typing…"));
		bob.send(" answer");
		alice.awaitMessage("I am writing a long answer");
		alice.await("bob no longer typing", (d) -> alice.typingIndicator().isEmpty());

		assertThat(alice.chatMessages()).containsExactly("Hello Bob!", "Hi Alice, good to see you.",
				"I am writing a long answer");
		assertThat(bob.chatMessages()).containsExactly("Hello Bob!", "Hi Alice, good to see you.",
				"I am writing a long answer");
		assertThat(alice.messageLines()).contains("SYSTEM: " + bobName + " joined the chat", aliceName + ": Hello Bob!",
				bobName + ": Hi Alice, good to see you.");
		assertThat(alice.seqs()).isSorted().doesNotHaveDuplicates();
		assertThat(alice.onlineUsers()).contains(aliceName, bobName);
		assertThat(alice.roomList()).contains(room);
	}

	@Test
	void privateMessageReachesOnlyItsRecipient() {
		// Fresh names: the page shows each user's stored private messages, and the
		// database outlives a test.
		String suffix = unique();
		String aliceName = "alice-" + suffix;
		String bobName = "bob-" + suffix;
		String carolName = "carol-" + suffix;
		ChatPage alice = browsers.open(aliceName, this.port).openWithToken(TestTokens.valid(aliceName));
		ChatPage bob = browsers.open(bobName, this.port).openWithToken(TestTokens.valid(bobName));
		ChatPage carol = browsers.open(carolName, this.port).openWithToken(TestTokens.valid(carolName));
		alice.await("everyone online", (d) -> alice.onlineUsers().containsAll(List.of(bobName, carolName)));

		alice.sendPrivate(bobName, "Just between us, Bob.");
		bob.await("alice's private message", (d) -> !bob.privateMessages().isEmpty());
		alice.await("the echo of alice's private message", (d) -> !alice.privateMessages().isEmpty());
		// Sent after the first one reached bob: once carol has it, she would have had the
		// first one too.
		alice.sendPrivate(carolName, "Hello Carol.");
		carol.await("alice's private message", (d) -> !carol.privateMessages().isEmpty());

		assertThat(bob.privateMessages()).containsExactly(aliceName + ">" + bobName + ": Just between us, Bob.");
		assertThat(carol.privateMessages()).containsExactly(aliceName + ">" + carolName + ": Hello Carol.");
		alice.await("both echoes", (d) -> alice.privateMessages().size() == 2);
		assertThat(alice.privateMessages()).containsExactly(aliceName + ">" + bobName + ": Just between us, Bob.",
				aliceName + ">" + carolName + ": Hello Carol.");

		// Stored: after a reload, the conversation is still there, once.
		bob.driver().navigate().refresh();
		bob.awaitConnected();
		bob.await("the stored private message", (d) -> !bob.privateMessages().isEmpty());
		assertThat(bob.privateMessages()).containsExactly(aliceName + ">" + bobName + ": Just between us, Bob.");
	}

	@Test
	void messagesThatLookLikeHtmlShowAsText() {
		String suffix = unique();
		String room = "html-" + suffix;
		String script = "<script>alert(1)</script>";
		String image = "<img src=x onerror=alert(1)>";
		ChatPage alice = browsers.open("alice-" + suffix, this.port).openWithToken(TestTokens.valid("alice-" + suffix));
		ChatPage bob = browsers.open("bob-" + suffix, this.port).openWithToken(TestTokens.valid("bob-" + suffix));
		alice.join(room);
		bob.join(room);

		alice.send(script);
		alice.send(image);
		alice.sendPrivate("bob-" + suffix, "<b>bold?</b>" + image);
		bob.awaitMessage(image);
		bob.await("the private message", (d) -> !bob.privateMessages().isEmpty());

		for (ChatPage page : List.of(alice, bob)) {
			assertThat(page.chatMessages()).containsExactly(script, image);
			assertThat(page.elementsInLogs("script")).isZero();
			assertThat(page.elementsInLogs("img")).isZero();
			assertThat(page.elementsInLogs("b")).isZero();
			assertThatExceptionOfType(NoAlertPresentException.class).isThrownBy(() -> page.driver().switchTo().alert());
		}
		assertThat(bob.privateMessages())
			.containsExactly("alice-" + suffix + ">bob-" + suffix + ": <b>bold?</b>" + image);
		// And the browsers held the page to a policy that forbids inline script in the
		// first place.
		assertThat(alice.responseHeader("/", "Content-Security-Policy")).contains("script-src 'self'");
	}

	@Test
	void joiningShowsTheNewestHistoryAndScrollingUpLoadsOlderMessages() {
		String room = "history-" + unique();
		List<String> sent = new ArrayList<>();
		// Four writers of 15 (a session may send 20 frames at once, the join included):
		// 60 messages, more than the page's first page of 50.
		for (String writer : List.of("bob", "carol", "dave", "erin")) {
			try (StompTestClient client = StompTestClient.connectAs(Transport.WEBSOCKET, this.port, writer)) {
				BlockingQueue<JsonNode> messages = client.subscribe("/topic/chat/" + room);
				client.send("/app/chat.join", Map.of("room", room));
				for (int i = 0; i < 15; i++) {
					String text = String.format("Message %02d", sent.size() + 1);
					sent.add(text);
					client.send("/app/chat.send", Map.of("room", room, "content", text));
				}
				// Until this writer's last message is back: stored and published.
				String last = sent.get(sent.size() - 1);
				StompTestClient.nextMatching(messages, (message) -> message.path("content").asString().equals(last));
			}
		}
		ChatPage alice = browsers.open("alice", this.port).openWithToken(TestTokens.valid("alice"));

		alice.join(room);
		alice.await("the newest history", (d) -> alice.chatMessages().contains("Message 60"));
		List<String> first = alice.chatMessages();
		assertThat(first).hasSizeLessThan(60).endsWith("Message 59", "Message 60").doesNotContain("Message 01");
		assertThat(sent.subList(60 - first.size(), 60)).isEqualTo(first);
		assertThat(alice.loadOlderVisible()).isTrue();

		alice.scrollMessagesToTop();
		alice.await("the older messages", (d) -> alice.chatMessages().size() == 60);
		assertThat(alice.chatMessages()).isEqualTo(sent);
		assertThat(alice.seqs()).isSorted().doesNotHaveDuplicates();
		alice.await("the start of the room",
				(d) -> alice.historyStatus().equals("This is the beginning of #" + room + "."));
		assertThat(alice.loadOlderVisible()).isFalse();
	}

	@Test
	void worksFromTheKeyboardOnAPhoneSizedScreen() {
		String room = "phone-" + unique();
		ChatPage alice = browsers.open("alice", this.port);
		alice.driver().manage().window().setSize(new Dimension(375, 812));
		alice.openWithToken(TestTokens.valid("alice"));
		assertThat(alice.overflowsHorizontally()).as("wider than the screen").isFalse();

		// Tab through the page until the room name field: every control on the way is
		// reachable by keyboard.
		Actions keyboard = new Actions(alice.driver());
		for (int i = 0; i < 40 && !"join-room-name".equals(alice.activeElementId()); i++) {
			keyboard.sendKeys(Keys.TAB).perform();
		}
		assertThat(alice.activeElementId()).isEqualTo("join-room-name");
		assertThat(alice.focusOutline()).as("visible focus").isNotEqualTo("none");
		keyboard.sendKeys(room, Keys.ENTER).perform();
		alice.awaitInRoom(room);
		assertThat(alice.activeElementId()).isEqualTo("message-input");
		keyboard.sendKeys("Typed on a phone", Keys.ENTER).perform();
		alice.awaitMessage("Typed on a phone");

		assertThat(alice.overflowsHorizontally()).as("wider than the screen").isFalse();
	}

	@Test
	void privateRoomIsListedForItsMembersOnly() {
		String room = "secret-" + unique();
		ChatPage alice = browsers.open("alice", this.port).openWithToken(TestTokens.valid("alice"));
		ChatPage bob = browsers.open("bob", this.port).openWithToken(TestTokens.valid("bob"));
		ChatPage carol = browsers.open("carol", this.port).openWithToken(TestTokens.valid("carol"));

		alice.createRoom(room, true, "bob");
		alice.awaitInRoom(room);
		assertThat(alice.createRoomStatus()).isEqualTo("Room #" + room + " created.");
		bob.refreshRooms();
		bob.await("the private room listed", (d) -> bob.roomList().contains(room));
		bob.openListedRoom(room);
		bob.awaitInRoom(room);
		bob.send("Members only in here");
		alice.awaitMessage("Members only in here");

		carol.refreshRooms();
		carol.join(room, false);
		carol.await("a refusal", (d) -> carol.alerts().contains("You may not enter room " + room + "."));
		assertThat(carol.roomList()).doesNotContain(room);
		assertThat(carol.chatMessages()).isEmpty();
	}

	@Test
	void showsNotificationsToTheirUserAndAnnouncementsToEveryone() {
		String room = "news-" + unique();
		ChatPage alice = browsers.open("alice", this.port).openWithToken(TestTokens.valid("alice"));
		ChatPage bob = browsers.open("bob", this.port).openWithToken(TestTokens.valid("bob"));
		// Frames of one client are handled in order: once in a room, their earlier
		// subscriptions are in place.
		alice.join(room);
		bob.join(room);

		// Pushed by a backend service through the REST API, with a SERVICE token.
		String service = TestTokens.withRoles("ops", "SERVICE");
		assertThat(push("/api/users/alice/notifications", "{\"title\":\"Build 42\",\"text\":\"All tests passed\"}",
				service))
			.isEqualTo(202);
		assertThat(push("/api/announcements", "{\"text\":\"Maintenance tonight at 22:00 UTC\"}", service))
			.isEqualTo(202);

		alice.await("both", (d) -> alice.notifications().size() == 2);
		bob.await("the announcement", (d) -> bob.notifications().size() == 1);
		assertThat(alice.notifications()).containsExactly("notification: All tests passed",
				"announcement: Maintenance tonight at 22:00 UTC");
		assertThat(bob.notifications()).containsExactly("announcement: Maintenance tonight at 22:00 UTC");
	}

	private int push(String path, String json, String token) {
		return TestHttp.on(this.port).post(path, json, token).statusCode();
	}

	static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
