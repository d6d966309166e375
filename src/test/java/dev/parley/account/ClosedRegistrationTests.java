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

@RestApiTest(value = AccountController.class, properties = "parley.accounts.registration-open=false")
@AutoConfigureJdbc
@AutoConfigureTestDatabase
@Import(AccountApiTestConfiguration.class)
class ClosedRegistrationTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void registrationCanBeClosedByConfiguration() {
		MvcTestResult result = this.mvc.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"latecomer\",\"password\":\"correct horse\"}")
			.exchange();
		assertThat(result).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.isEqualTo("Registration is closed on this server");
	}

}
