package dev.parley.web;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in one browser, driven the way a person uses it: typing, clicking,
 * pressing Enter. Reads go through one script call each, which is faster and steadier
 * than walking elements one by one.
 */
final class ChatPage {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final String name;

	private final ChromeDriver driver;

	private final String baseUrl;

	ChatPage(String name, ChromeDriver driver, String baseUrl) {
		this.name = name;
		this.driver = driver;
		this.baseUrl = baseUrl;
	}

	String name() {
		return this.name;
	}

	ChromeDriver driver() {
		return this.driver;
	}

	// --- Getting in
	// ------------------------------------------------------------------------------------

	/**
	 * Opens the page with a token injected through the {@code #token=} fragment, and
	 * waits until connected.
	 */
	ChatPage openWithToken(String token) {
		this.driver.get(this.baseUrl + "/#token=" + token);
		awaitConnected();
		return this;
	}

	ChatPage open() {
		this.driver.get(this.baseUrl + "/");
		await("the login form", (d) -> d.findElement(By.id("login-view")).isDisplayed());
		return this;
	}

	void register(String username, String password) {
		fillCredentials(username, password);
		this.driver.findElement(By.id("register-submit")).click();
	}

	void logIn(String username, String password) {
		fillCredentials(username, password);
		this.driver.findElement(By.id("login-password")).sendKeys(Keys.ENTER);
	}

	private void fillCredentials(String username, String password) {
		WebElement user = this.driver.findElement(By.id("login-username"));
		user.clear();
		user.sendKeys(username);
		WebElement secret = this.driver.findElement(By.id("login-password"));
		secret.clear();
		secret.sendKeys(password);
	}

	void logOut() {
		this.driver.findElement(By.id("logout")).click();
	}

	boolean showsLogin() {
		return this.driver.findElement(By.id("login-view")).isDisplayed();
	}

	String loginReason() {
		return text("#login-reason");
	}

	List<String> alerts() {
		return strings(
				"return Array.from(document.querySelectorAll('#alerts [data-testid=alert] span'), (e) => e.textContent);");
	}

	String authError() {
		return text("#auth-error");
	}

	String currentUser() {
		return text("#current-user");
	}

	String storedToken() {
		return (String) this.driver.executeScript("return sessionStorage.getItem('parley.token');");
	}

	// --- Connection
	// ------------------------------------------------------------------------------------

	void awaitConnected() {
		await("connected", (d) -> "connected".equals(connectionState()));
	}

	String connectionState() {
		return this.driver.findElement(By.id("connection-state")).getDomAttribute("data-state");
	}

	String transport() {
		return this.driver.findElement(By.id("connection-state")).getDomAttribute("data-transport");
	}

	/**
	 * How many times the page has connected since it was opened: 2 after one reconnect.
	 */
	int connections() {
		String count = this.driver.findElement(By.id("connection-state")).getDomAttribute("data-connections");
		return (count != null) ? Integer.parseInt(count) : 0;
	}

	/**
	 * Cuts the browser off the network (new connections fail), as on a train going into a
	 * tunnel.
	 */
	void goOffline() {
		ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
		offline.setOffline(true);
		this.driver.setNetworkConditions(offline);
	}

	void goOnline() {
		this.driver.deleteNetworkConditions();
	}

	/** Presses "Retry now", shown while the page waits to reconnect. */
	void retryNow() {
		await("the retry button", (d) -> d.findElement(By.id("reconnect-now")).isDisplayed());
		this.driver.findElement(By.id("reconnect-now")).click();
	}

	/** A response header, as the page's own origin serves it. */
	String responseHeader(String path, String name) {
		return (String) this.driver.executeAsyncScript(
				"const done = arguments[arguments.length - 1];"
						+ " fetch(arguments[0]).then((r) => done(r.headers.get(arguments[1])), () => done(null));",
				path, name);
	}

	void selectTransport(String value) {
		new Select(this.driver.findElement(By.id("transport"))).selectByValue(value);
	}

	/**
	 * URLs the page fetched, as the browser's resource timing lists them (WebSockets are
	 * not listed).
	 */
	List<String> requestedUrls() {
		return strings("return performance.getEntriesByType('resource').map((entry) => entry.name);");
	}

	// --- Rooms
	// -----------------------------------------------------------------------------------------

	/** Joins a room by typing its name, and waits until this user is listed in it. */
	void join(String room) {
		join(room, true);
	}

	void join(String room, boolean await) {
		WebElement input = this.driver.findElement(By.id("join-room-name"));
		input.sendKeys(room, Keys.ENTER);
		if (await) {
			awaitInRoom(room);
		}
	}

	/** Opens a room from the room list. */
	void openListedRoom(String room) {
		this.driver.findElement(By.cssSelector("#room-list [data-room='" + room + "']")).click();
	}

	void refreshRooms() {
		this.driver.findElement(By.id("rooms-refresh")).click();
	}

	void awaitInRoom(String room) {
		await("in room " + room, (d) -> ("#" + room).equals(roomTitle()) && roomUsers().contains(this.name));
	}

	String roomTitle() {
		return text("#room-title");
	}

	List<String> roomList() {
		return strings(
				"return Array.from(document.querySelectorAll('#room-list [data-room]'), (e) => e.dataset.room);");
	}

	void createRoom(String room, boolean isPrivate, String members) {
		this.driver.findElement(By.cssSelector("#create-room summary")).click();
		this.driver.findElement(By.id("create-room-name")).sendKeys(room);
		if (isPrivate) {
			this.driver.findElement(By.id("create-room-private")).click();
			this.driver.findElement(By.id("create-room-members")).sendKeys(members);
		}
		this.driver.findElement(By.id("create-room-submit")).click();
	}

	String createRoomStatus() {
		return text("#create-room-status");
	}

	List<String> roomUsers() {
		return strings(
				"return Array.from(document.querySelectorAll('#room-users [data-user]'), (e) => e.dataset.user);");
	}

	List<String> onlineUsers() {
		return strings(
				"return Array.from(document.querySelectorAll('#online-users [data-user]'), (e) => e.dataset.user);");
	}

	String typingIndicator() {
		return text("#typing-indicator");
	}

	// --- Messages
	// --------------------------------------------------------------------------------------

	/** Types a message into the message box and presses Enter. */
	void send(String text) {
		this.driver.findElement(By.id("message-input")).sendKeys(text, Keys.ENTER);
	}

	/** Types without sending. */
	void type(String text) {
		this.driver.findElement(By.id("message-input")).sendKeys(text);
	}

	/** Sends what has been typed so far. */
	void pressEnter() {
		this.driver.findElement(By.id("message-input")).sendKeys(Keys.ENTER);
	}

	/**
	 * The contents of the chat messages (not joins and leaves) shown in the open room,
	 * top to bottom.
	 */
	List<String> chatMessages() {
		return strings("return Array.from(document.querySelectorAll("
				+ "'#room-logs ol:not([hidden]) [data-testid=message][data-type=CHAT]:not([data-pending])'),"
				+ " (e) => e.querySelector('[data-testid=message-content]').textContent);");
	}

	/**
	 * Messages written while disconnected, shown as "sending" until the server has them.
	 */
	List<String> pendingMessages() {
		return strings("return Array.from(document.querySelectorAll('#room-logs ol:not([hidden]) [data-pending]'),"
				+ " (e) => e.querySelector('[data-testid=message-content]').textContent);");
	}

	/**
	 * Every message line of the open room as "sender: content", joins and leaves
	 * included.
	 */
	List<String> messageLines() {
		return strings(
				"return Array.from(document.querySelectorAll('#room-logs ol:not([hidden]) [data-testid=message]'),"
						+ " (e) => e.dataset.sender + ': ' + e.querySelector('[data-testid=message-content]').textContent);");
	}

	/** The {@code seq} of every message shown in the open room, top to bottom. */
	List<Long> seqs() {
		return strings("return Array.from(document.querySelectorAll('#room-logs ol:not([hidden]) [data-seq]'),"
				+ " (e) => e.dataset.seq);")
			.stream()
			.map(Long::valueOf)
			.toList();
	}

	void scrollMessagesToTop() {
		this.driver.executeScript("document.getElementById('log-scroller').scrollTop = 0;");
	}

	boolean loadOlderVisible() {
		return this.driver.findElement(By.id("load-older")).isDisplayed();
	}

	String historyStatus() {
		return text("#history-status");
	}

	void awaitMessage(String content) {
		await("message '" + content + "'", (d) -> chatMessages().contains(content));
	}

	/**
	 * Elements of the given kind inside the room and private message logs: none may come
	 * from message text.
	 */
	long elementsInLogs(String selector) {
		return (Long) this.driver.executeScript("return document.querySelectorAll(" + "'#room-logs " + selector
				+ ", #private-messages " + selector + ", #notifications " + selector + "').length;");
	}

	// --- Private messages
	// ------------------------------------------------------------------------------

	void sendPrivate(String recipient, String text) {
		WebElement to = this.driver.findElement(By.id("private-recipient"));
		to.clear();
		to.sendKeys(recipient);
		this.driver.findElement(By.id("private-input")).sendKeys(text, Keys.ENTER);
	}

	/** Private messages as "sender>recipient: text". */
	List<String> privateMessages() {
		return strings("return Array.from(document.querySelectorAll('#private-messages [data-testid=private-message]'),"
				+ " (e) => e.dataset.sender + '>' + e.dataset.recipient + ': '"
				+ " + e.querySelector('[data-testid=private-text]').textContent);");
	}

	/** Notifications and announcements, as "kind: text". */
	List<String> notifications() {
		return strings("return Array.from(document.querySelectorAll('#notifications [data-testid=notification]'),"
				+ " (e) => e.dataset.kind + ': ' + e.querySelector('[data-testid=notification-text]').textContent);");
	}

	// --- Layout and focus
	// ------------------------------------------------------------------------------

	String activeElementId() {
		return (String) this.driver.executeScript("return document.activeElement && document.activeElement.id;");
	}

	boolean overflowsHorizontally() {
		return (Boolean) this.driver
			.executeScript("return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
	}

	String focusOutline() {
		return (String) this.driver.executeScript("return getComputedStyle(document.activeElement).outlineStyle;");
	}

	// --- Plumbing
	// --------------------------------------------------------------------------------------

	<T> T await(String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, TIMEOUT, Duration.ofMillis(50)).withMessage(() -> this.name + ": " + what)
			.until((d) -> {
				T value = condition.apply(d);
				return (value instanceof Boolean b && !b) ? null : value;
			});
	}

	private String text(String selector) {
		return this.driver.findElement(By.cssSelector(selector)).getText();
	}

	@SuppressWarnings("unchecked")
	private List<String> strings(String script) {
		List<Object> values = (List<Object>) this.driver.executeScript(script);
		return values.stream().map(String::valueOf).toList();
	}

}
