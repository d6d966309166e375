package dev.parley.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.parley.security.JwtAuthentication;
import dev.parley.security.JwtVerifier;
import dev.parley.security.Role;
import dev.parley.support.Json;
import dev.parley.support.RestApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration and login over REST, and their edge cases, in a web slice: the account
 * controller and service on a database of the test's own, with the API's security.
 */
@RestApiTest(AccountController.class)
@AutoConfigureJdbc
@AutoConfigureTestDatabase
@Import(AccountApiTestConfiguration.class)
class AccountControllerTests {

	private static final AtomicInteger names = new AtomicInteger();

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JwtVerifier verifier;

	@Test
	void registerThenLogInAndUseTheToken() throws Exception {
		String name = unique("Reg");
		MvcTestResult registered = register(name, "correct horse");
		assertThat(registered).hasStatus(HttpStatus.CREATED);
		assertThat(registered).bodyJson().extractingPath("$.username").asString().isEqualTo(name);
		MvcTestResult login = login(name.toLowerCase(), "correct horse");
		assertThat(login).hasStatusOk();
		assertThat(login).bodyJson().extractingPath("$.tokenType").asString().isEqualTo("Bearer");
		assertThat(login).bodyJson().extractingPath("$.expiresIn").asNumber().isEqualTo(3600);
		String token = Json.accessToken(login.getResponse().getContentAsString());
		// The token is what the API's bearer filter accepts: this user, as a user.
		JwtAuthentication user = this.verifier.verify(token);
		assertThat(user.getName()).isEqualTo(name);
		assertThat(user.roles()).containsExactly(Role.USER);
	}

	@Test
	void aTakenNameIsRefusedWhateverItsCase() {
		String name = unique("Dup");
		assertThat(register(name, "correct horse")).hasStatus(HttpStatus.CREATED);
		MvcTestResult again = register(name.toUpperCase(), "battery staple");
		assertThat(again).hasStatus(HttpStatus.CONFLICT)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(again).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.isEqualTo("Username '" + name.toUpperCase() + "' is taken");
	}

	@ParameterizedTest(name = "{0} / {1}")
	@CsvSource(delimiter = '|',
			value = { "ab|correct horse|username must be 3 to 32", "has space|correct horse|username must be 3 to 32",
					"a/b|correct horse|username must be 3 to 32",
					"x23456789012345678901234567890123|correct horse|username must be 3 to 32",
					"{name}|short|at least 8 characters", "{name}|aaaaaaaaaaaa|too simple",
					"{name}|my-{name}-pw|must not contain the username", "system|correct horse|reserved" })
	void weakOrInvalidInputIsRefusedWithA4xxProblem(String username, String password, String detail) {
		String name = unique("weak");
		MvcTestResult refused = register(username.replace("{name}", name), password.replace("{name}", name));
		assertThat(refused).hasStatus4xxClientError().hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused).bodyJson().extractingPath("$.detail").asString().contains(detail);
	}

	@Test
	void aMissingFieldOrAMalformedBodyIsA400Problem() {
		assertThat(this.mvc.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"x\"}")).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(this.mvc.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).content("not json"))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
		String name = unique("Wrong");
		assertThat(register(name, "correct horse")).hasStatus(HttpStatus.CREATED);
		for (MvcTestResult refused : List.of(login(name, "incorrect horse"),
				login(unique("nobody"), "incorrect horse"))) {
			assertThat(refused).hasStatus(HttpStatus.UNAUTHORIZED);
			assertThat(refused).bodyJson()
				.extractingPath("$.detail")
				.asString()
				.isEqualTo("Invalid username or password");
		}
	}

	@Test
	void repeatedFailuresLockTheUsernameOutEvenWithTheRightPassword() {
		String name = unique("Locked");
		assertThat(register(name, "correct horse")).hasStatus(HttpStatus.CREATED);
		for (int i = 0; i < 5; i++) {
			assertThat(login(name, "guess number " + i)).hasStatus(HttpStatus.UNAUTHORIZED);
		}
		MvcTestResult locked = login(name, "correct horse");
		assertThat(locked).hasStatus(HttpStatus.TOO_MANY_REQUESTS).containsHeader("Retry-After");
		assertThat(locked).bodyJson().extractingPath("$.detail").asString().contains("Too many failed logins");
	}

	@Test
	void aBurstOfParallelGuessesGetsNoMoreTriesThanTheLimit() throws Exception {
		String name = unique("Burst");
		assertThat(register(name, "correct horse")).hasStatus(HttpStatus.CREATED);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				String guess = "parallel guess " + i;
				answers.add(pool.submit(() -> login(name, guess).getResponse().getStatus()));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : answers) {
				statuses.add(answer.get(30, TimeUnit.SECONDS));
			}
			assertThat(statuses).filteredOn((code) -> code == 401).hasSize(5);
			assertThat(statuses).filteredOn((code) -> code == 429).hasSize(11);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void manyFailuresFromOneAddressLockThatAddressOutForEveryName() {
		for (int i = 0; i < 20; i++) {
			assertThat(loginFrom("10.20.30.40", unique("Nobody"), "wrong password")).hasStatus(HttpStatus.UNAUTHORIZED);
		}
		assertThat(loginFrom("10.20.30.40", unique("Fresh"), "wrong password")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.containsHeader("Retry-After");
		assertThat(loginFrom("10.20.30.41", unique("Fresh"), "wrong password")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void pagesCarrySecurityHeaders() {
		// The chat page, and an API answer; actuator's are checked with the whole server
		// in AdminAccessIntegrationTests.
		MvcTestResult page = this.mvc.get().uri("/index.html").exchange();
		assertThat(page).hasStatusOk().hasContentTypeCompatibleWith(MediaType.TEXT_HTML);
		MvcTestResult refusal = login(unique("Nobody"), "wrong password");
		assertThat(refusal).hasStatus(HttpStatus.UNAUTHORIZED);
		for (MvcTestResult result : List.of(page, refusal)) {
			assertThat(result).hasHeader("X-Content-Type-Options", "nosniff")
				.hasHeader("X-Frame-Options", "DENY")
				.hasHeader("Referrer-Policy", "no-referrer");
			assertThat(result.getResponse().getHeader("Content-Security-Policy")).contains("default-src 'self'")
				.contains("frame-ancestors 'none'");
		}
	}

	private MvcTestResult register(String username, String password) {
		return this.mvc.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.content(credentials(username, password))
			.exchange();
	}

	private MvcTestResult login(String username, String password) {
		return loginFrom("127.0.0.1", username, password);
	}

	private MvcTestResult loginFrom(String address, String username, String password) {
		return this.mvc.post()
			.uri("/api/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.content(credentials(username, password))
			.with((request) -> {
				request.setRemoteAddr(address);
				return request;
			})
			.exchange();
	}

	private static String credentials(String username, String password) {
		return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
	}

	/** A name no other test of this class uses (the database is the class's own). */
	private static String unique(String prefix) {
		return prefix + names.incrementAndGet();
	}

}
