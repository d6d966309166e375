package dev.parley.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.parley.support.TestTokens;

import static dev.parley.web.ChatPageIntegrationTests.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Getting into the chat page and out again: registering, logging in (and being told why
 * not), logging out, and an expired token sending the page back to the login form.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BrowserTestConfiguration.class)
class AccountPageIntegrationTests {

	@RegisterExtension
	static final Browsers browsers = new Browsers();

	private final int port;

	AccountPageIntegrationTests(@LocalServerPort int port) {
		this.port = port;
	}

	@Test
	void registersLogsOutAndLogsBackIn() {
		String name = "dana_" + unique();
		ChatPage dana = browsers.open("dana", this.port).open();
		dana.register(name, "a long enough password");
		dana.awaitConnected();
		assertThat(dana.currentUser()).isEqualTo(name);
		assertThat(dana.storedToken()).isNotBlank();

		dana.logOut();
		dana.await("the login form", (d) -> dana.showsLogin());
		assertThat(dana.storedToken()).isNull();
		assertThat(dana.connectionState()).isEqualTo("disconnected");

		dana.logIn(name, "not the password");
		dana.await("a refusal", (d) -> dana.authError().startsWith("Log-in failed: "));
		assertThat(dana.showsLogin()).isTrue();

		dana.logIn(name, "a long enough password");
		dana.awaitConnected();
		assertThat(dana.currentUser()).isEqualTo(name);
		assertThat(dana.authError()).isEmpty();
	}

	@Test
	void loggingOutLeavesNoRoomOfTheUserOnThePage() {
		String name = "fay_" + unique();
		String room = "hush_" + unique();
		ChatPage fay = browsers.open("fay", this.port).open();
		fay.register(name, "a long enough password");
		fay.awaitConnected();
		fay.createRoom(room, true, name);
		fay.await("the private room listed", (d) -> fay.roomList().contains(room));

		fay.logOut();
		fay.await("the login form", (d) -> fay.showsLogin());
		assertThat(fay.roomList()).as("whoever uses this page next sees none of fay's rooms").doesNotContain(room);
	}

	@Test
	void registeringATakenNameSaysWhy() {
		String name = "erin_" + unique();
		ChatPage erin = browsers.open("erin", this.port).open();
		erin.register(name, "a long enough password");
		erin.awaitConnected();
		ChatPage other = browsers.open("other", this.port).open();

		other.register(name, "another long password");
		other.await("a refusal", (d) -> other.authError().startsWith("Registration failed: "));
		assertThat(other.showsLogin()).isTrue();
	}

	@Test
	void anExpiredTokenLeadsToTheLoginForm() {
		ChatPage alice = browsers.open("alice", this.port);
		alice.driver().get("http://localhost:" + this.port + "/#token=" + TestTokens.expired("alice"));

		alice.await("the login form", (d) -> alice.showsLogin());
		assertThat(alice.loginReason()).isEqualTo("Your session has expired. Log in again.");
		assertThat(alice.storedToken()).isNull();
	}

}
