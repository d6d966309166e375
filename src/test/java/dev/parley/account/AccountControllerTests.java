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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Registration and login over REST, and their edge cases.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AccountControllerTests {

	private static final AtomicInteger names = new AtomicInteger();

	@Autowired
	MockMvc mvc;

	@Test
	void registerThenLogInAndUseTheToken() throws Exception {
		String name = unique("Reg");
		register(name, "correct horse").andExpect(status().isCreated()).andExpect(jsonPath("$.username").value(name));
		String body = login(name.toLowerCase(), "correct horse").andExpect(status().isOk())
			.andExpect(jsonPath("$.tokenType").value("Bearer"))
			.andExpect(jsonPath("$.expiresIn").value(3600))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String token = body.replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
		this.mvc.perform(get("/api/presence").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
	}

	@Test
	void aTakenNameIsRefusedWhateverItsCase() throws Exception {
		String name = unique("Dup");
		register(name, "correct horse").andExpect(status().isCreated());
		register(name.toUpperCase(), "battery staple").andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(containsString("taken")));
	}

	@ParameterizedTest(name = "{0} / {1}")
	@CsvSource(delimiter = '|',
			value = { "ab|correct horse|username must be 3 to 32", "has space|correct horse|username must be 3 to 32",
					"a/b|correct horse|username must be 3 to 32",
					"x23456789012345678901234567890123|correct horse|username must be 3 to 32",
					"{name}|short|at least 8 characters", "{name}|aaaaaaaaaaaa|too simple",
					"{name}|my-{name}-pw|must not contain the username", "system|correct horse|reserved" })
	void weakOrInvalidInputIsRefusedWithA4xxProblem(String username, String password, String detail) throws Exception {
		String name = unique("weak");
		register(username.replace("{name}", name), password.replace("{name}", name))
			.andExpect(status().is4xxClientError())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(containsString(detail)));
	}

	@Test
	void aMissingFieldOrAMalformedBodyIsA400Problem() throws Exception {
		this.mvc
			.perform(post("/api/auth/register").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"x\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(post("/api/auth/login").contentType(MediaType.APPLICATION_JSON).content("not json"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
		String name = unique("Wrong");
		register(name, "correct horse").andExpect(status().isCreated());
		login(name, "incorrect horse").andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.detail").value("Invalid username or password"));
		login(unique("nobody"), "incorrect horse").andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.detail").value("Invalid username or password"));
	}

	@Test
	void repeatedFailuresLockTheUsernameOutEvenWithTheRightPassword() throws Exception {
		String name = unique("Locked");
		register(name, "correct horse").andExpect(status().isCreated());
		for (int i = 0; i < 5; i++) {
			login(name, "guess number " + i).andExpect(status().isUnauthorized());
		}
		login(name, "correct horse").andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(jsonPath("$.detail").value(containsString("Too many failed logins")));
	}

	@Test
	void aBurstOfParallelGuessesGetsNoMoreTriesThanTheLimit() throws Exception {
		String name = unique("Burst");
		register(name, "correct horse").andExpect(status().isCreated());
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				String guess = "parallel guess " + i;
				answers.add(pool.submit(() -> login(name, guess).andReturn().getResponse().getStatus()));
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
	void manyFailuresFromOneAddressLockThatAddressOutForEveryName() throws Exception {
		for (int i = 0; i < 20; i++) {
			loginFrom("10.20.30.40", unique("Nobody"), "wrong password").andExpect(status().isUnauthorized());
		}
		loginFrom("10.20.30.40", unique("Fresh"), "wrong password").andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"));
		loginFrom("10.20.30.41", unique("Fresh"), "wrong password").andExpect(status().isUnauthorized());
	}

	@Test
	void pagesCarrySecurityHeaders() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("Referrer-Policy", "no-referrer"))
			.andExpect(header().string("Content-Security-Policy", containsString("default-src 'self'")))
			.andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")));
	}

	private ResultActions register(String username, String password) throws Exception {
		return this.mvc.perform(post("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
	}

	private ResultActions login(String username, String password) throws Exception {
		return this.mvc.perform(post("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
	}

	private ResultActions loginFrom(String address, String username, String password) throws Exception {
		return this.mvc.perform(post("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
			.with((request) -> {
				request.setRemoteAddr(address);
				return request;
			}));
	}

	private static String unique(String prefix) {
		return prefix + names.incrementAndGet() + "_" + (System.nanoTime() % 100000);
	}

}
