package dev.parley.account;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.parley.support.RestApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each registration costs a password hash: one address may make only so many.
 */
@RestApiTest(value = AccountController.class, properties = "parley.accounts.registration-throttle.per-address=3")
@AutoConfigureJdbc
@AutoConfigureTestDatabase
@Import(AccountApiTestConfiguration.class)
class RegistrationThrottleTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void oneAddressMayRegisterOnlySoManyAccounts() {
		for (int i = 0; i < 3; i++) {
			assertThat(registerFrom("10.1.1.1", "farmed" + i, "correct horse battery")).hasStatus(HttpStatus.CREATED);
		}
		MvcTestResult refused = registerFrom("10.1.1.1", "farmed_more", "correct horse battery");
		assertThat(refused).hasStatus(HttpStatus.TOO_MANY_REQUESTS).containsHeader("Retry-After");
		assertThat(refused).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.isEqualTo("Too many registrations from this address; try again later");
		assertThat(registerFrom("10.1.1.2", "neighbour", "correct horse battery")).hasStatus(HttpStatus.CREATED);
	}

	@Test
	void aWeakPasswordIsRefusedWithoutUsingARegistration() {
		for (int i = 0; i < 5; i++) {
			assertThat(registerFrom("10.1.1.3", "weakling", "short")).hasStatus(HttpStatus.BAD_REQUEST);
		}
		assertThat(registerFrom("10.1.1.3", "strongling", "correct horse battery")).hasStatus(HttpStatus.CREATED);
	}

	private MvcTestResult registerFrom(String address, String username, String password) {
		return this.mvc.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
			.with((request) -> {
				request.setRemoteAddr(address);
				return request;
			})
			.exchange();
	}

}
