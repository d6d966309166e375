package dev.parley.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import dev.parley.support.LocalServices;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several nodes in {@code redis} mode, each its own application context on a random port,
 * sharing the local Redis and one PostgreSQL schema: clients on different nodes behave as
 * on one node.
 */
class ClusterIntegrationTests {

	private static final String SCHEMA = "cluster_it";

	private static final String PREFIX = "parley-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private static ConfigurableApplicationContext one;

	private static ConfigurableApplicationContext two;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void startTwoNodes() throws Exception {
		LocalServices.requirePostgres();
		LocalServices.requireRedis();
		RedisNodes.freshSchema(SCHEMA);
		one = node("one");
		two = node("two");
	}

	@AfterAll
	static void stopNodes() {
		if (one != null) {
			one.close();
		}
		if (two != null) {
			two.close();
		}
	}

	static ConfigurableApplicationContext node(String name) {
		return RedisNodes.start(name, SCHEMA, "--parley.cluster.key-prefix=" + PREFIX,
				"--parley.cluster.node-timeout=2s", "--parley.limits.max-sessions-per-user=3",
				"--parley.rooms.leave-grace=0s", "--parley.rooms.access-refresh=500ms");
	}

	@Test
	void roomMessagesReachEveryNodeOnceAndInSeqOrder() throws Exception {
		try (StompTestClient alice = connect(one, "alice"); StompTestClient bob = connect(two, "bob")) {
			BlockingQueue<JsonNode> atAlice = alice.subscribe("/topic/chat/crossing");
			BlockingQueue<JsonNode> atBob = bob.subscribe("/topic/chat/crossing");
			awaitListeners("/topic/chat/crossing", 2);
			alice.send("/app/chat.join", Map.of("room", "crossing"));
			bob.send("/app/chat.join", Map.of("room", "crossing"));
			alice.sync();
			bob.sync();
			for (int i = 0; i < 20; i++) {
				(i % 2 == 0 ? alice : bob).send("/app/chat.send",
						Map.of("room", "crossing", "content", "message " + i));
			}
			List<Long> seenByAlice = chatSeqs(atAlice, 20);
			List<Long> seenByBob = chatSeqs(atBob, 20);
			assertThat(seenByAlice).as("every message once, in seq order").isSorted().doesNotHaveDuplicates();
			assertThat(seenByBob).isEqualTo(seenByAlice);
			alice.sync();
			bob.sync();
			assertThat(atAlice.stream().filter((m) -> "CHAT".equals(m.get("type").asString()))).as("nothing twice")
				.isEmpty();
			assertThat(atBob.stream().filter((m) -> "CHAT".equals(m.get("type").asString()))).isEmpty();
		}
	}

	@Test
	void privateMessagesAndNotificationsReachTheUsersNode() throws Exception {
		try (StompTestClient carol = connect(one, "carol"); StompTestClient dave = connect(two, "dave")) {
			BlockingQueue<JsonNode> privates = carol.subscribe("/user/queue/private");
			BlockingQueue<JsonNode> notifications = carol.subscribe("/user/queue/notifications");
			carol.sync();
			dave.send("/app/private", Map.of("recipient", "carol", "text", "across"));
			JsonNode message = StompTestClient.next(privates);
			assertThat(message.get("sender").asString()).isEqualTo("dave");
			assertThat(message.get("text").asString()).isEqualTo("across");

			HttpResponse<String> pushed = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port(two) + "/api/users/carol/notifications"))
				.header("Authorization", "Bearer " + TestTokens.withRoles("backend", "SERVICE"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from node two\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(pushed.statusCode()).isEqualTo(202);
			assertThat(StompTestClient.next(notifications).get("text").asString()).isEqualTo("from node two");
			carol.sync();
			assertThat(privates).as("one copy").isEmpty();
		}
	}

	@Test
	void presenceAndRoomListsAgreeOnEveryNodeAndASecondSessionKeepsTheUserIn() throws Exception {
		try (StompTestClient erin = connect(one, "erin"); StompTestClient watcher = connect(two, "watcher")) {
			BlockingQueue<JsonNode> room = watcher.subscribe("/topic/chat/agree");
			BlockingQueue<JsonNode> users = watcher.subscribe("/topic/chat/agree/users");
			awaitListeners("/topic/chat/agree", 1);
			awaitListeners("/topic/chat/agree/users", 1);
			erin.send("/app/chat.join", Map.of("room", "agree"));
			assertThat(untilUsers(users, "[\"erin\"]")).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(presence(one)).isEqualTo(presence(two)).contains("erin", "watcher"));
			try (StompTestClient erinAgain = connect(two, "erin")) {
				erinAgain.send("/app/chat.join", Map.of("room", "agree"));
				erinAgain.sync();
				erin.close();
				erinAgain.send("/app/chat.send", Map.of("room", "agree", "content", "still here"));
				JsonNode next;
				List<String> types = new ArrayList<>();
				do {
					next = StompTestClient.next(room);
					types.add(next.get("type").asString() + ":" + next.get("sender").asString());
				}
				while (!"CHAT".equals(next.get("type").asString()));
				assertThat(types).as("one JOIN for erin's first session, no LEAVE and no second JOIN")
					.containsExactly("JOIN:SYSTEM", "CHAT:erin");
			}
		}
	}

	@Test
	void aRoomMadePrivateThroughOneNodeEndsTheSubscriptionsOnTheOther() throws Exception {
		try (StompTestClient eve = connect(two, "eve"); StompTestClient owner = connect(one, "olga")) {
			BlockingQueue<JsonNode> messages = eve.subscribe("/topic/chat/hideout");
			BlockingQueue<JsonNode> users = eve.subscribe("/topic/chat/hideout/users");
			eve.assertNoErrors();
			awaitListeners("/topic/chat/hideout", 1);
			HttpResponse<String> created = post(one, "/api/rooms", "{\"name\":\"hideout\",\"private\":true}",
					TestTokens.valid("olga"));
			assertThat(created.statusCode()).isEqualTo(201);
			// Node two reads the rooms again every parley.rooms.access-refresh (500 ms
			// here), and ends what may no longer be read there.
			List<String> ended = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				JsonNode error = eve.nextError();
				assertThat(error.get("error").asString()).isEqualTo("subscription-ended");
				ended.add(error.get("destination").asString());
			}
			assertThat(ended).containsExactlyInAnyOrder("/topic/chat/hideout", "/topic/chat/hideout/users");

			BlockingQueue<JsonNode> ownerSees = owner.subscribe("/topic/chat/hideout");
			owner.send("/app/chat.join", Map.of("room", "hideout"));
			owner.send("/app/chat.send", Map.of("room", "hideout", "content", "the plan"));
			assertThat(chatSeqs(ownerSees, 1)).hasSize(1);
			eve.sync();
			assertThat(messages).as("nothing of the room reaches the other node's early subscriber").isEmpty();
			assertThat(users).isEmpty();
			assertThat(eve.isConnected()).isTrue();
		}
	}

	@Test
	void theSessionsPerUserLimitHoldsOverTheCluster() throws Exception {
		try (StompTestClient first = connect(one, "frank");
				StompTestClient second = connect(two, "frank");
				StompTestClient third = connect(one, "frank")) {
			first.sync();
			second.sync();
			third.sync();
			assertThatRefused(() -> connect(two, "frank"));
		}
		// The places are given back: the next one gets in.
		try (StompTestClient again = connect(two, "frank")) {
			again.sync();
		}
	}

	@Test
	void theLoginThrottleHoldsWhenTheAttemptsAreSpreadOverNodes() throws Exception {
		String user = "mallory" + UUID.randomUUID().toString().substring(0, 6);
		assertThat(post(one, "/api/auth/register", credentials(user, "correct horse battery")).statusCode())
			.isEqualTo(201);
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			// Five failures allowed per username
			// (parley.accounts.login-throttle.per-username), whichever node.
			statuses
				.add(post((i % 2 == 0) ? one : two, "/api/auth/login", credentials(user, "wrong " + i)).statusCode());
		}
		assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
	}

	private HttpResponse<String> post(ConfigurableApplicationContext node, String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(ConfigurableApplicationContext node, String path, String json, String token)
			throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + path))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String credentials(String user, String password) {
		return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
	}

	@Test
	void aNodeThatStopsHasItsUsersLeaveOnTheOthersWithinTheBound() throws Exception {
		ConfigurableApplicationContext three = node("three");
		try (StompTestClient watcher = connect(one, "grace-watcher")) {
			BlockingQueue<JsonNode> room = watcher.subscribe("/topic/chat/goner");
			BlockingQueue<JsonNode> presence = watcher.subscribe("/topic/presence");
			awaitListeners("/topic/chat/goner", 1);
			StompTestClient gone = connect(three, "grace");
			gone.send("/app/chat.join", Map.of("room", "goner"));
			assertThat(StompTestClient.next(room).get("type").asString()).isEqualTo("JOIN");
			three.close();
			// The bound users are promised: within 15 s of the node going.
			JsonNode leave = StompTestClient.next(room, Duration.ofSeconds(15));
			assertThat(leave.get("type").asString()).isEqualTo("LEAVE");
			assertThat(leave.get("content").asString()).isEqualTo("grace left the chat");
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(presence(one)).doesNotContain("grace"));
			gone.close();
		}
		finally {
			three.close();
		}
	}

	@Test
	void aBroadcastIsOnePublishAndReachesOnlyNodesWithSubscribers() throws Exception {
		RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
		try (StatefulRedisPubSubConnection<String, String> spy = redis.connectPubSub();
				StompTestClient alice = connect(one, "henry");
				StompTestClient bob = connect(one, "ivy");
				StompTestClient watcher = connect(two, "jack")) {
			List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
			spy.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					published.add(channel);
				}

			});
			spy.sync().subscribe(PREFIX + "t:/topic/chat/lonely");
			BlockingQueue<JsonNode> atAlice = alice.subscribe("/topic/chat/lonely");
			BlockingQueue<JsonNode> atBob = bob.subscribe("/topic/chat/lonely");
			// Bob's SUBSCRIBE handled before alice's JOIN is sent (they are on two
			// connections).
			bob.sync();
			alice.send("/app/chat.join", Map.of("room", "lonely"));
			alice.sync();
			StompTestClient.next(atAlice);
			StompTestClient.next(atBob);
			// The JOIN's publish reaches this spy too: once it has, count from zero.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(published).hasSize(1));
			double receivedBefore = received(two);
			published.clear();
			for (int i = 0; i < 10; i++) {
				alice.send("/app/chat.send", Map.of("room", "lonely", "content", "only here " + i));
			}
			chatSeqs(atAlice, 10);
			chatSeqs(atBob, 10);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(published).hasSize(10));
			assertThat(received(two)).as("node two has no subscriber of the room: it receives none of it")
				.isEqualTo(receivedBefore);

			BlockingQueue<JsonNode> atWatcher = watcher.subscribe("/topic/chat/lonely");
			awaitListeners("/topic/chat/lonely", 2);
			published.clear();
			alice.send("/app/chat.send", Map.of("room", "lonely", "content", "now there too"));
			assertThat(chatSeqs(atWatcher, 1)).hasSize(1);
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.untilAsserted(
						() -> assertThat(published).as("one publish for three subscribers on two nodes").hasSize(1));
		}
		finally {
			redis.shutdown();
		}
	}

	@Test
	void afterRedisDropsItsConnectionsTheBridgeComesBackAndFillsTheGap() throws Exception {
		RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
		try (StompTestClient sender = connect(one, "kate");
				StompTestClient reader = connect(two, "leo");
				var admin = redis.connect()) {
			BlockingQueue<JsonNode> atReader = reader.subscribe("/topic/chat/outage");
			awaitListeners("/topic/chat/outage", 1);
			sender.send("/app/chat.join", Map.of("room", "outage"));
			StompTestClient.next(atReader);
			RedisCommands<String, String> commands = admin.sync();
			for (int i = 0; i < 30; i++) {
				sender.send("/app/chat.send", Map.of("room", "outage", "content", "during " + i));
				if (i == 10) {
					// Every connection but this one: both nodes' bridges lose theirs.
					commands.clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
					commands.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
				}
			}
			sender.sync();
			List<Long> seqs = chatSeqs(atReader, 30);
			assertThat(seqs).as("nothing lost, nothing twice, in order").doesNotHaveDuplicates().isSorted();
			assertThat(seqs.get(29) - seqs.get(0)).isEqualTo(29);
			// And the bridge still works afterwards, without a gap to fill.
			sender.send("/app/chat.send", Map.of("room", "outage", "content", "after"));
			assertThat(chatSeqs(atReader, 1)).containsExactly(seqs.get(29) + 1);
		}
		finally {
			redis.shutdown();
		}
	}

	/**
	 * Until Redis has as many subscribers of the destination's channel as given: a
	 * subscription on a node takes effect on Redis a moment after the SUBSCRIBE frame.
	 */
	private static void awaitListeners(String destination, int nodes) {
		RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
		try (var connection = redis.connect()) {
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(connection.sync().pubsubNumsub(PREFIX + "t:" + destination))
					// At least: a test's own spy may listen too.
					.hasEntrySatisfying(PREFIX + "t:" + destination,
							(count) -> assertThat(count).isGreaterThanOrEqualTo(nodes)));
		}
		finally {
			redis.shutdown();
		}
	}

	private static void assertThatRefused(Runnable connect) {
		try {
			connect.run();
		}
		catch (IllegalStateException ex) {
			return;
		}
		throw new AssertionError("a fourth session of the user was accepted over two nodes");
	}

	private static List<Long> chatSeqs(BlockingQueue<JsonNode> queue, int count) {
		List<Long> seqs = new ArrayList<>();
		while (seqs.size() < count) {
			JsonNode message = StompTestClient.next(queue);
			if ("CHAT".equals(message.get("type").asString())) {
				seqs.add(message.get("seq").asLong());
			}
		}
		return seqs;
	}

	private static boolean untilUsers(BlockingQueue<JsonNode> users, String expected) {
		while (true) {
			if (StompTestClient.next(users).toString().equals(expected)) {
				return true;
			}
		}
	}

	private List<String> presence(ConfigurableApplicationContext node) throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + "/api/presence"))
				.header("Authorization", "Bearer " + TestTokens.valid("observer"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> online = new ArrayList<>();
		tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(response.body())
			.get("online")
			.forEach((user) -> online.add(user.asString()));
		return online;
	}

	private static double received(ConfigurableApplicationContext node) {
		return node.getBean(MeterRegistry.class).get("parley.cluster.received").counter().count();
	}

	private static int port(ConfigurableApplicationContext node) {
		return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
	}

	private static StompTestClient connect(ConfigurableApplicationContext node, String user) {
		return StompTestClient.connect(Transport.WEBSOCKET, port(node), TestTokens.valid(user));
	}

}
