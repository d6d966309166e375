package dev.parley.messaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import dev.parley.ParleyApplication;
import dev.parley.support.LocalServices;
import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two Parley nodes in relay mode ({@code parley.broker.mode=relay}) on the local
 * RabbitMQ's STOMP plugin and the local PostgreSQL, in one JVM: what one node's clients
 * send reaches the other's, once and in order; private messages and REST notifications
 * find a user on the other node; nothing a client puts in its headers reaches RabbitMQ; a
 * private room's revoked member stops reading; a node without RabbitMQ is not ready and
 * refuses REST pushes. Skipped without RabbitMQ's STOMP port or PostgreSQL, except under
 * {@code CI=true}, where that fails.
 */
class RelayIntegrationTests {

	/** Names of this run: the database and RabbitMQ outlive it. */
	private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final Duration QUIET = Duration.ofMillis(700);

	private static @Nullable ConfigurableApplicationContext nodeA;

	private static @Nullable ConfigurableApplicationContext nodeB;

	private static int portA;

	private static int portB;

	/** Why the tests are skipped: a service they need is absent. */
	private static @Nullable String missing;

	@BeforeAll
	static void startTwoNodes() {
		try {
			LocalServices.requireRabbitStomp();
			LocalServices.requirePostgres();
		}
		catch (TestAbortedException ex) {
			// Each test is reported skipped, with the reason.
			missing = String.valueOf(ex.getMessage()).replaceFirst("^Assumption failed: ", "");
			return;
		}
		nodeA = start();
		nodeB = start();
		portA = port(nodeA);
		portB = port(nodeB);
		for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> node.getBean(BrokerAvailability.class).isAvailable());
		}
	}

	@BeforeEach
	void requireServices() {
		Assumptions.assumeTrue(missing == null, missing);
	}

	@AfterAll
	static void stopNodes() {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB }) {
			if (node != null) {
				node.close();
			}
		}
	}

	static ConfigurableApplicationContext start(String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--parley.broker.mode=relay",
				"--spring.datasource.url=" + LocalServices.POSTGRES_URL, "--spring.datasource.username=postgres",
				"--parley.cluster.relay.host=" + LocalServices.RABBIT_HOST,
				"--parley.cluster.relay.port=" + LocalServices.RABBIT_STOMP_PORT,
				"--parley.cluster.relay.user-registry-interval=1s", "--parley.limits.send-rate=1000",
				"--parley.limits.send-burst=1000", "--parley.cluster.heartbeat=300ms",
				"--parley.cluster.node-timeout=2s", "--parley.rooms.access-refresh=500ms",
				"--parley.rooms.leave-grace=0s", "--parley.drain.window=0s",
				"--parley.limits.max-sessions-per-user=3"));
		for (String setting : extra) {
			String name = setting.substring(0, setting.indexOf('=') + 1);
			args.removeIf((arg) -> arg.startsWith(name));
			args.add(setting);
		}
		return new SpringApplicationBuilder(ParleyApplication.class).profiles("postgres")
			.run(args.toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext node) {
		Integer port = node.getEnvironment().getProperty("local.server.port", Integer.class);
		assertThat(port).isNotNull();
		return port;
	}

	@Test
	void roomMessagesCrossNodesOnceAndInSeqOrder() throws Exception {
		String room = "relay-" + RUN;
		String aliceName = "alice-" + RUN;
		String bobName = "bob-" + RUN;
		try (StompTestClient alice = client(portA, aliceName); StompTestClient bob = client(portB, bobName)) {
			BlockingQueue<JsonNode> atAlice = alice.subscribe("/topic/chat/" + room);
			BlockingQueue<JsonNode> atBob = bob.subscribe("/topic/chat/" + room);
			alice.sync();
			bob.sync();
			List<JsonNode> seenByAlice = new ArrayList<>();
			List<JsonNode> seenByBob = new ArrayList<>();
			// A conversation: each speaks once the other's last message arrived.
			alice.send("/app/chat.join", Map.of("room", room));
			seenByAlice.addAll(until(atAlice, aliceName + " joined the chat"));
			seenByBob.addAll(until(atBob, aliceName + " joined the chat"));
			bob.send("/app/chat.join", Map.of("room", room));
			seenByAlice.addAll(until(atAlice, bobName + " joined the chat"));
			seenByBob.addAll(until(atBob, bobName + " joined the chat"));
			for (int i = 0; i < 10; i++) {
				String content = "turn " + i;
				((i % 2 == 0) ? alice : bob).send("/app/chat.send", Map.of("room", room, "content", content));
				seenByAlice.addAll(until(atAlice, content));
				seenByBob.addAll(until(atBob, content));
			}
			for (List<JsonNode> seen : List.of(seenByAlice, seenByBob)) {
				assertThat(seen).extracting((message) -> message.get("content").asString())
					.containsExactly(aliceName + " joined the chat", bobName + " joined the chat", "turn 0", "turn 1",
							"turn 2", "turn 3", "turn 4", "turn 5", "turn 6", "turn 7", "turn 8", "turn 9");
				assertGaplessInOrder(seen);
			}

			// Both at once: each sender's messages in its order, every message once, no
			// seq missing.
			for (int i = 0; i < 15; i++) {
				alice.send("/app/chat.send", Map.of("room", room, "content", "alice " + i));
				bob.send("/app/chat.send", Map.of("room", room, "content", "bob " + i));
			}
			List<JsonNode> burstAtAlice = untilAll(atAlice, 30);
			List<JsonNode> burstAtBob = untilAll(atBob, 30);
			assertThat(atAlice.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).as("a message more").isNull();
			assertThat(atBob.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).as("a message more").isNull();
			for (List<JsonNode> burst : List.of(burstAtAlice, burstAtBob)) {
				List<String> contents = burst.stream().map((message) -> message.get("content").asString()).toList();
				assertThat(contents).hasSize(30).doesNotHaveDuplicates();
				for (String sender : List.of("alice ", "bob ")) {
					assertThat(contents.stream().filter((content) -> content.startsWith(sender)))
						.containsExactlyElementsOf(
								Stream.iterate(0, (i) -> i + 1).limit(15).map((i) -> sender + i).toList());
				}
				List<Long> seqs = burst.stream().map((message) -> message.get("seq").asLong()).sorted().toList();
				assertThat(seqs.get(0)).isEqualTo(seenByAlice.get(seenByAlice.size() - 1).get("seq").asLong() + 1);
				assertThat(seqs.get(29) - seqs.get(0)).as("no gap").isEqualTo(29);
				assertGaplessInOrder(burst);
			}
		}
	}

	private static void assertGaplessInOrder(List<JsonNode> messages) {
		List<Long> seqs = messages.stream().map((message) -> message.get("seq").asLong()).toList();
		assertThat(seqs).as("seq of every message, in the order it arrived").isSorted().doesNotHaveDuplicates();
		assertThat(seqs.get(seqs.size() - 1) - seqs.get(0)).as("no gap").isEqualTo(seqs.size() - 1);
	}

	@Test
	void aPrivateMessageReachesAUserOnTheOtherNode() throws Exception {
		String alice = "pm-alice-" + RUN;
		String bob = "pm-bob-" + RUN;
		try (StompTestClient onA = client(portA, alice); StompTestClient onB = client(portB, bob)) {
			BlockingQueue<JsonNode> toAlice = onA.subscribe("/user/queue/private");
			BlockingQueue<JsonNode> toBob = onB.subscribe("/user/queue/private");
			onA.sync();
			onB.sync();
			awaitKnown(nodeA, bob, 1);
			awaitKnown(nodeB, alice, 1);

			onA.send("/app/private", Map.of("recipient", bob, "text", "hello from A"));
			JsonNode received = next(toBob);
			assertThat(received.get("sender").asString()).isEqualTo(alice);
			assertThat(received.get("text").asString()).isEqualTo("hello from A");
			assertThat(next(toAlice).get("id").asString()).as("the echo").isEqualTo(received.get("id").asString());

			onB.send("/app/private", Map.of("recipient", alice, "text", "hello from B"));
			JsonNode answer = next(toAlice);
			assertThat(answer.get("sender").asString()).isEqualTo(bob);
			assertThat(answer.get("seq").asLong()).isGreaterThan(received.get("seq").asLong());
			assertThat(next(toBob).get("id").asString()).isEqualTo(answer.get("id").asString());

			assertThat(toAlice.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
			assertThat(toBob.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
			onA.assertNoErrors();
			onB.assertNoErrors();
		}
	}

	@Test
	void aRestNotificationReachesEverySessionOfTheUserOnEitherNode() throws Exception {
		String user = "notified-" + RUN;
		try (StompTestClient onA = client(portA, user); StompTestClient onB = client(portB, user)) {
			BlockingQueue<JsonNode> atA = onA.subscribe("/user/queue/notifications");
			BlockingQueue<JsonNode> atB = onB.subscribe("/user/queue/notifications");
			onA.sync();
			onB.sync();
			awaitKnown(nodeA, user, 2);
			awaitKnown(nodeB, user, 2);

			for (int port : new int[] { portA, portB }) {
				HttpResponse<String> response = post(port, "/api/users/" + user + "/notifications",
						"{\"from\":" + port + "}", serviceToken());
				assertThat(response.statusCode()).isEqualTo(202);
				assertThat(next(atA).get("from").asInt()).isEqualTo(port);
				assertThat(next(atB).get("from").asInt()).isEqualTo(port);
			}
			assertThat(atA.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
			assertThat(atB.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void clientHeadersDoNotReachRabbitMQ() throws Exception {
		String user = "headers-" + RUN;
		String room = "headers-" + RUN;
		String stolen = "stolen-" + RUN;
		String token = TestTokens.valid(user);
		try (RawStompClient raw = RawStompClient.open(Transport.WEBSOCKET, portA, "")) {
			// CONNECT and SUBSCRIBE in one WebSocket message: the SUBSCRIBE is handled
			// before RabbitMQ has answered the CONNECT.
			raw.sendRaw(frame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
					"Authorization:Bearer " + token, "login:guest", "passcode:guest")
					+ frame("SUBSCRIBE", "id:s-1", "destination:/topic/chat/" + room, "receipt:r-1",
							"x-queue-name:" + stolen, "durable:true", "auto-delete:false", "exclusive:false",
							"x-message-ttl:1", "x-max-length:1", "x-dead-letter-exchange:amq.fanout",
							"x-dead-letter-routing-key:" + stolen, "prefetch-count:1", "ack:client", "persistent:true",
							"reply-to:/temp-queue/" + stolen, "selector:1 = 0", "Authorization:Bearer " + token,
							"login:guest", "passcode:guest"));
			String connected = raw.nextFrame();
			assertThat(connected).startsWith("CONNECTED\n")
				.contains("\nheart-beat:0,0\n")
				.doesNotContain("server:")
				.doesNotContain("RabbitMQ");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:r-1");

			List<LocalServices.RabbitQueue> queues = LocalServices.rabbitQueues();
			assertThat(queues).extracting(LocalServices.RabbitQueue::name).noneMatch((name) -> name.contains(RUN));
			assertThat(queues).filteredOn((queue) -> queue.name().startsWith("stomp-subscription-"))
				.isNotEmpty()
				.allSatisfy((queue) -> {
					assertThat(queue.durable()).as(queue.name() + " durable").isFalse();
					assertThat(queue.exclusive()).as(queue.name() + " exclusive").isTrue();
					assertThat(queue.arguments().isEmpty()).as(queue.name() + " arguments " + queue.arguments())
						.isTrue();
				});

			// Three messages, none acknowledged: neither prefetch-count:1 and ack:client
			// nor x-max-length or x-message-ttl hold any back.
			try (StompTestClient sender = client(portA, "sender-" + RUN)) {
				sender.send("/app/chat.join", Map.of("room", room));
				for (int i = 0; i < 3; i++) {
					sender.send("/app/chat.send", Map.of("room", room, "content", "m" + i));
				}
				sender.assertNoErrors();
			}
			List<String> messages = new ArrayList<>();
			while (messages.stream().filter((frame) -> frame.contains("\"CHAT\"")).count() < 3) {
				String frame = raw.nextFrame();
				assertThat(frame).startsWith("MESSAGE\n").doesNotContain("\nack:");
				messages.add(frame);
			}
			String messageId = header(messages.get(messages.size() - 1), "message-id");

			// An ACK, which RabbitMQ would answer by ending the connection (it knows of
			// no
			// message to acknowledge on an auto-acknowledged subscription).
			raw.send("ACK", "", "id:" + messageId, "receipt:r-2");
			String receipt = raw.nextFrame();
			while (receipt.startsWith("MESSAGE\n")) {
				// The sender's LEAVE, once its grace ended.
				receipt = raw.nextFrame();
			}
			assertThat(receipt).startsWith("RECEIPT\n").contains("receipt-id:r-2");
			for (String frame = raw.pollFrame(QUIET); frame != null; frame = raw.pollFrame(QUIET)) {
				assertThat(frame).startsWith("MESSAGE\n");
			}
			assertThat(raw.isOpen()).isTrue();
		}
	}

	@Test
	void rabbitMqEndsNothingAClientMayDo() throws Exception {
		String user = "unsubscriber-" + RUN;
		try (StompTestClient client = client(portA, user);
				RawStompClient raw = RawStompClient.open(Transport.WEBSOCKET, portA, "")) {
			raw.connect("Authorization:Bearer " + TestTokens.valid(user), "heart-beat:0,0");
			assertThat(raw.nextFrame()).startsWith("CONNECTED\n");
			raw.send("SUBSCRIBE", "", "id:e", "destination:/user/queue/errors");
			raw.send("SUBSCRIBE", "", "id:refused", "destination:/topic/nowhere");
			assertThat(raw.nextFrame()).startsWith("MESSAGE\n").contains("\"forbidden\"");
			raw.send("UNSUBSCRIBE", "", "id:refused", "receipt:u-1");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:u-1");
			raw.send("UNSUBSCRIBE", "", "id:never-made", "receipt:u-2");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:u-2");
			raw.send("SUBSCRIBE", "", "id:twice", "destination:/topic/messages", "receipt:t-1");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:t-1");
			raw.send("SUBSCRIBE", "", "id:twice", "destination:/topic/announcements", "receipt:t-2");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:t-2");
			raw.send("ACK", "", "id:T_twice@@session-x@@1", "receipt:a-1");
			raw.send("NACK", "", "id:T_twice@@session-x@@2", "receipt:a-2");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:a-1");
			assertThat(raw.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:a-2");

			// The reused id now stands for /topic/announcements only.
			assertThat(post(portB, "/api/announcements", "{\"text\":\"to every node\"}", serviceToken()).statusCode())
				.isEqualTo(202);
			String announcement = raw.nextFrame();
			assertThat(announcement).startsWith("MESSAGE\n")
				.contains("subscription:twice")
				.contains("destination:/topic/announcements")
				.contains("to every node");
			assertThat(raw.pollFrame(QUIET)).isNull();
			assertThat(raw.isOpen()).isTrue();
		}
	}

	@Test
	void aRemovedMemberStopsReadingAPrivateRoom() throws Exception {
		String owner = "owner-" + RUN;
		String member = "member-" + RUN;
		String room = "vault-" + RUN;
		assertThat(post(portA, "/api/rooms",
				"{\"name\":\"" + room + "\",\"private\":true,\"members\":[\"" + member + "\"]}",
				TestTokens.valid(owner))
			.statusCode()).isEqualTo(201);
		try (StompTestClient reader = client(portA, member)) {
			BlockingQueue<JsonNode> messages = reader.subscribe("/topic/chat/" + room);
			reader.assertNoErrors();
			assertThat(post(portA, "/api/rooms/" + room + "/messages", "{\"content\":\"for members\"}",
					TestTokens.valid(owner))
				.statusCode()).isEqualTo(201);
			assertThat(next(messages).get("content").asString()).isEqualTo("for members");

			assertThat(delete(portA, "/api/rooms/" + room + "/members/" + member, TestTokens.valid(owner)).statusCode())
				.isEqualTo(204);
			JsonNode ended = reader.nextError();
			assertThat(ended.get("error").asString()).isEqualTo("subscription-ended");
			assertThat(ended.get("destination").asString()).isEqualTo("/topic/chat/" + room);

			assertThat(post(portA, "/api/rooms/" + room + "/messages", "{\"content\":\"not for you\"}",
					TestTokens.valid(owner))
				.statusCode()).isEqualTo(201);
			assertThat(messages.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
			assertThat(reader.isConnected()).isTrue();
			reader.assertNoErrors();
		}
	}

	@Test
	void presenceAndRoomListsAgreeOnBothNodesAndASecondSessionKeepsTheUserIn() throws Exception {
		String room = "agree-" + RUN;
		String erinName = "erin-" + RUN;
		try (StompTestClient erin = client(portA, erinName);
				StompTestClient watcher = client(portB, "watcher-" + RUN)) {
			BlockingQueue<JsonNode> messages = watcher.subscribe("/topic/chat/" + room);
			BlockingQueue<JsonNode> users = watcher.subscribe("/topic/chat/" + room + "/users");
			watcher.sync();
			erin.send("/app/chat.join", Map.of("room", room));
			JsonNode joined = next(messages);
			assertThat(joined.get("type").asString()).isEqualTo("JOIN");
			assertThat(joined.get("content").asString()).isEqualTo(erinName + " joined the chat");
			assertThat(usersUntil(users, List.of(erinName))).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(presence(portA)).isEqualTo(presence(portB))
					.contains(erinName, "watcher-" + RUN));

			try (StompTestClient erinAgain = client(portB, erinName)) {
				erinAgain.send("/app/chat.join", Map.of("room", room));
				erinAgain.sync();
				erin.close();
				erinAgain.send("/app/chat.send", Map.of("room", room, "content", "still here"));
				List<String> seen = new ArrayList<>();
				JsonNode message;
				do {
					message = next(messages);
					seen.add(message.get("type").asString() + ":" + message.get("sender").asString());
				}
				while (!"CHAT".equals(message.get("type").asString()));
				assertThat(seen).as("no LEAVE for erin's first session, no second JOIN for the second")
					.containsExactly("CHAT:" + erinName);
				assertThat(presence(portA)).contains(erinName);
				assertThat(presence(portB)).contains(erinName);
			}
			JsonNode left = next(messages);
			assertThat(left.get("type").asString()).isEqualTo("LEAVE");
			assertThat(left.get("content").asString()).isEqualTo(erinName + " left the chat");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(presence(portA)).isEqualTo(presence(portB)).doesNotContain(erinName));
		}
	}

	@Test
	void aNodeClosedWithoutADrainHasItsUsersLeaveOnTheOtherWithinTheBound() throws Exception {
		String room = "goner-" + RUN;
		String graceName = "grace-" + RUN;
		ConfigurableApplicationContext nodeC = start();
		try (StompTestClient watcher = client(portA, "grace-watcher-" + RUN)) {
			BlockingQueue<JsonNode> messages = watcher.subscribe("/topic/chat/" + room);
			watcher.sync();
			await().atMost(Duration.ofSeconds(20)).until(() -> nodeC.getBean(BrokerAvailability.class).isAvailable());
			StompTestClient gone = client(port(nodeC), graceName);
			gone.send("/app/chat.join", Map.of("room", room));
			assertThat(next(messages).get("type").asString()).isEqualTo("JOIN");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(presence(portA)).contains(graceName));
			nodeC.close();
			// The bound users are promised: within 15 s of the node going.
			JsonNode leave = next(messages, Duration.ofSeconds(15));
			assertThat(leave.get("type").asString()).isEqualTo("LEAVE");
			assertThat(leave.get("content").asString()).isEqualTo(graceName + " left the chat");
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(presence(portA)).isEqualTo(presence(portB)).doesNotContain(graceName));
			gone.close();
		}
		finally {
			nodeC.close();
		}
	}

	@Test
	void aRoomMadePrivateThroughOneNodeEndsTheSubscriptionsOnTheOther() throws Exception {
		String room = "secret-" + RUN;
		String owner = "owner2-" + RUN;
		try (StompTestClient eve = client(portB, "eve-" + RUN); StompTestClient alice = client(portA, owner)) {
			BlockingQueue<JsonNode> messages = eve.subscribe("/topic/chat/" + room);
			eve.assertNoErrors();
			assertThat(
					post(portA, "/api/rooms", "{\"name\":\"" + room + "\",\"private\":true}", TestTokens.valid(owner))
						.statusCode())
				.isEqualTo(201);
			// Node B reads the rooms again every parley.rooms.access-refresh (500 ms
			// here).
			JsonNode ended = eve.nextError();
			assertThat(ended.get("error").asString()).isEqualTo("subscription-ended");
			assertThat(ended.get("destination").asString()).isEqualTo("/topic/chat/" + room);

			BlockingQueue<JsonNode> aliceSees = alice.subscribe("/topic/chat/" + room);
			alice.send("/app/chat.join", Map.of("room", room));
			alice.send("/app/chat.send", Map.of("room", room, "content", "the plan"));
			until(aliceSees, "the plan");
			eve.sync();
			assertThat(messages.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).as("nothing of the room").isNull();
			assertThat(eve.isConnected()).isTrue();
		}
	}

	@Test
	void theSessionsPerUserLimitHoldsOverBothNodes() throws Exception {
		String user = "frank-" + RUN;
		try (StompTestClient first = client(portA, user);
				StompTestClient second = client(portB, user);
				StompTestClient third = client(portA, user)) {
			first.sync();
			second.sync();
			third.sync();
			assertThatThrownBy(() -> client(portB, user)).as("a fourth session over two nodes")
				.isInstanceOf(IllegalStateException.class);
		}
		// The places are given back (each node gives back its own as its sessions
		// close): the next one gets in.
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
			try (StompTestClient again = client(portB, user)) {
				again.sync();
			}
		});
	}

	private static List<String> presence(int port) throws Exception {
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/presence"))
				.header("Authorization", "Bearer " + TestTokens.valid("observer"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> online = new ArrayList<>();
		json.readTree(response.body()).get("online").forEach((user) -> online.add(user.asString()));
		return online;
	}

	private static boolean usersUntil(BlockingQueue<JsonNode> users, List<String> expected) {
		while (true) {
			List<String> list = new ArrayList<>();
			next(users).forEach((user) -> list.add(user.asString()));
			if (list.equals(expected)) {
				return true;
			}
		}
	}

	@Test
	void aReplayOnOneNodeCoversWhatTheOtherStored() throws Exception {
		String room = "replay-" + RUN;
		List<Long> stored = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> response = post(portA, "/api/rooms/" + room + "/messages",
					"{\"content\":\"missed " + i + "\"}", serviceToken());
			assertThat(response.statusCode()).isEqualTo(201);
			stored.add(json.readTree(response.body()).get("seq").asLong());
		}
		try (StompTestClient late = client(portB, "late-" + RUN)) {
			StompHeaders headers = new StompHeaders();
			headers.setDestination("/topic/chat/" + room);
			headers.set("since-seq", Long.toString(stored.get(0) - 1));
			BlockingQueue<JsonNode> messages = late.subscribe(headers);
			for (int i = 0; i < 3; i++) {
				JsonNode replayed = next(messages);
				assertThat(replayed.get("content").asString()).isEqualTo("missed " + i);
				assertThat(replayed.get("seq").asLong()).isEqualTo(stored.get(i));
			}
			late.sync();
			assertThat(post(portA, "/api/rooms/" + room + "/messages", "{\"content\":\"live\"}", serviceToken())
				.statusCode()).isEqualTo(201);
			JsonNode live = next(messages);
			assertThat(live.get("content").asString()).isEqualTo("live");
			assertThat(live.get("seq").asLong()).isEqualTo(stored.get(2) + 1);
			assertThat(messages.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void withoutRabbitMqANodeIsNotReadyAndRefusesRestPushes() throws Exception {
		assertThat(get(portA, "/actuator/health/readiness").statusCode()).isEqualTo(200);
		try (ConfigurableApplicationContext cut = start("--parley.cluster.relay.port=" + closedPort())) {
			int port = port(cut);
			HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(json.readTree(readiness.body()).get("status").asString()).isEqualTo("DOWN");
			assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);

			for (String[] push : new String[][] { { "/api/announcements", "{\"text\":\"anyone?\"}" },
					{ "/api/users/someone/notifications", "{\"x\":1}" },
					{ "/api/rooms/cut-" + RUN + "/messages", "{\"content\":\"anyone?\"}" } }) {
				HttpResponse<String> refused = post(port, push[0], push[1], serviceToken());
				assertThat(refused.statusCode()).as(push[0]).isEqualTo(503);
				assertThat(refused.headers().firstValue("Content-Type"))
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
				assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
				assertThat(json.readTree(refused.body()).get("detail").asString())
					.contains("message broker is unavailable");
			}
			assertThat(cut.getBean(RelayHealth.class).health().getStatus().getCode()).isEqualTo("DOWN");
		}
		assertThat(nodeA.getBean(RelayHealth.class).health().getStatus().getCode()).isEqualTo("UP");
	}

	private static StompTestClient client(int port, String user) {
		return StompTestClient.connect(Transport.WEBSOCKET, port, TestTokens.valid(user));
	}

	private static String serviceToken() {
		return TestTokens.withRoles("billing", "SERVICE");
	}

	/**
	 * Waits until the node's user registry (the other node's broadcast) shows the user.
	 */
	private static void awaitKnown(ConfigurableApplicationContext node, String user, int sessions) {
		SimpUserRegistry users = node.getBean(SimpUserRegistry.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			SimpUser known = users.getUser(user);
			return known != null && known.getSessions().size() == sessions;
		});
	}

	/** The messages up to the one with this content. */
	private static List<JsonNode> until(BlockingQueue<JsonNode> queue, String content) {
		List<JsonNode> seen = new ArrayList<>();
		while (true) {
			JsonNode message = next(queue);
			seen.add(message);
			if (content.equals(message.get("content").asString())) {
				return seen;
			}
		}
	}

	private static List<JsonNode> untilAll(BlockingQueue<JsonNode> queue, int chats) {
		List<JsonNode> seen = new ArrayList<>();
		Set<String> contents = new HashSet<>();
		while (contents.size() < chats) {
			JsonNode message = next(queue);
			seen.add(message);
			if ("CHAT".equals(message.get("type").asString())) {
				contents.add(message.get("content").asString());
			}
		}
		return seen;
	}

	private static String frame(String command, String... headers) {
		return command + "\n" + String.join("\n", headers) + "\n\n\0";
	}

	private static String header(String frame, String name) {
		for (String line : frame.split("\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1);
			}
		}
		throw new AssertionError("no " + name + " in " + frame);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static HttpResponse<String> post(int port, String path, String body, String token) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static HttpResponse<String> delete(int port, String path, String token) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + token)
			.DELETE());
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
