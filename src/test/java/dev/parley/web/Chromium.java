package dev.parley.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts Debian's headless Chromium through its own chromedriver. Both paths are given
 * explicitly, so Selenium Manager never looks for (or downloads) a browser or a driver.
 */
final class Chromium {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	/**
	 * Selenium warns on every start that it has no DevTools (CDP) classes for this
	 * Chromium; the tests use WebDriver only. Held in a field: java.util.logging keeps
	 * loggers weakly, and a collected one would forget its level.
	 */
	private static final Logger DEVTOOLS_LOGGER = quiet("org.openqa.selenium.devtools");

	private static final Logger CHROMIUM_LOGGER = quiet("org.openqa.selenium.chromium");

	private Chromium() {
	}

	static boolean installed() {
		return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
	}

	static String missingMessage() {
		return "The chat page tests need headless Chromium at " + BROWSER + " and its driver at " + DRIVER
				+ " (Debian: apt-get install chromium chromium-driver)";
	}

	/**
	 * Under {@code CI=true} a missing browser is a failure: CI installs it, and a skip
	 * would hide a broken machine.
	 */
	static boolean required() {
		return "true".equals(System.getenv("CI"));
	}

	private static Logger quiet(String name) {
		Logger logger = Logger.getLogger(name);
		logger.setLevel(Level.SEVERE);
		return logger;
	}

	/** A fresh browser with its own throw-away profile in {@code profile}. */
	static ChromeDriver start(Path profile) {
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.withLogOutput(OutputStream.nullOutputStream())
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-default-apps", "--disable-extensions", "--window-size=1280,900",
				"--user-data-dir=" + profile.toAbsolutePath());
		// The browser's console, read after each test for CSP violations and kept for
		// whoever debugs a failure.
		options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
		return new ChromeDriver(service, options);
	}

	static Path newProfile() {
		try {
			return Files.createTempDirectory("parley-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
