package dev.parley.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import org.springframework.util.Assert;

/**
 * The browsers of one test, as a JUnit extension. It skips the class when Chromium is
 * missing (before an application context is started for it), or fails it under
 * {@code CI=true}; hands out a browser per person, from a pool shared by the whole run;
 * and after each test writes every browser's screenshot and console under
 * {@code target/screenshots/<class>/}, marked {@code FAILED} when the test failed. A
 * Content-Security-Policy violation in any console fails the test: the page must run
 * under the policy the server sends.
 */
final class Browsers implements ExecutionCondition, BeforeAllCallback, AfterTestExecutionCallback, AfterEachCallback {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Log logger = LogFactory.getLog(Browsers.class);

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Browsers.class);

	private final List<ChatPage> open = new ArrayList<>();

	private @Nullable ChromiumPool pool;

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (Chromium.installed() || Chromium.required()) {
			return ConditionEvaluationResult.enabled("Chromium is installed, or required");
		}
		logger.warn("Skipping " + context.getDisplayName() + ": " + Chromium.missingMessage());
		return ConditionEvaluationResult.disabled(Chromium.missingMessage());
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (!Chromium.installed()) {
			throw new IllegalStateException(Chromium.missingMessage() + "; CI=true, so this is a failure, not a skip");
		}
		this.pool = context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(ChromiumPool.class, (key) -> new ChromiumPool(), ChromiumPool.class);
	}

	/** A browser for the person {@code name}, on the server at {@code port}. */
	ChatPage open(String name, int port) {
		ChatPage page = new ChatPage(name, pool().take(), "http://localhost:" + port);
		this.open.add(page);
		return page;
	}

	@Override
	public void afterTestExecution(ExtensionContext context) throws IOException {
		boolean failed = context.getExecutionException().isPresent();
		Path directory = SCREENSHOTS.resolve(context.getRequiredTestClass().getSimpleName());
		Files.createDirectories(directory);
		String test = fileName(context);
		List<String> violations = new ArrayList<>();
		for (ChatPage page : this.open) {
			String base = test + "-" + page.name() + (failed ? "-FAILED" : "");
			try {
				Files.write(directory.resolve(base + ".png"), page.driver().getScreenshotAs(OutputType.BYTES));
				List<LogEntry> console = page.driver().manage().logs().get(LogType.BROWSER).getAll();
				Files.writeString(directory.resolve(base + "-console.log"),
						console.stream().map(LogEntry::toString).collect(Collectors.joining("\n", "", "\n")),
						StandardCharsets.UTF_8);
				console.stream()
					.map(LogEntry::getMessage)
					.filter((message) -> message.contains("Content Security Policy"))
					.map((message) -> page.name() + ": " + message)
					.forEach(violations::add);
			}
			catch (RuntimeException ex) {
				// A browser that died mid-test has nothing to show; the test's own
				// failure says why.
				if (!failed) {
					throw ex;
				}
			}
		}
		if (!failed && !violations.isEmpty()) {
			throw new AssertionError("Content-Security-Policy violations:\n" + String.join("\n", violations));
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		boolean failed = context.getExecutionException().isPresent();
		for (ChatPage page : this.open) {
			if (failed) {
				pool().discard(page.driver());
			}
			else {
				pool().giveBack(page.driver());
			}
		}
		this.open.clear();
	}

	private ChromiumPool pool() {
		Assert.state(this.pool != null, "Not started: register Browsers with @RegisterExtension on a static field");
		return this.pool;
	}

	private static String fileName(ExtensionContext context) {
		String method = context.getRequiredTestMethod().getName();
		if (context.getRequiredTestMethod().getParameterCount() == 0) {
			return method;
		}
		// A parameterized test: its display name tells the invocations apart.
		return method + "-" + context.getDisplayName().replaceAll("[^A-Za-z0-9_.-]+", "_");
	}

}
