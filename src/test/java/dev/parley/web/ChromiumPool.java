package dev.parley.web;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

import org.springframework.util.FileSystemUtils;

/**
 * Started browsers, kept between tests: starting Chromium costs more than most scenarios.
 * A browser goes back into the pool only after a test that passed, and only once it is
 * reset (storage cleared, online, desktop-sized, on a blank page, console drained); a
 * browser from a failed test is closed. Each keeps its own fresh profile. Closed at the
 * end of the run, as a value of JUnit's root store.
 */
final class ChromiumPool implements AutoCloseable {

	private final Deque<ChromeDriver> idle = new ArrayDeque<>();

	private final Map<ChromeDriver, Path> profiles = new HashMap<>();

	synchronized ChromeDriver take() {
		ChromeDriver driver = this.idle.poll();
		if (driver != null) {
			return driver;
		}
		Path profile = Chromium.newProfile();
		driver = Chromium.start(profile);
		this.profiles.put(driver, profile);
		return driver;
	}

	synchronized void giveBack(ChromeDriver driver) {
		try {
			reset(driver);
			this.idle.push(driver);
		}
		catch (RuntimeException ex) {
			discard(driver);
		}
	}

	synchronized void discard(ChromeDriver driver) {
		try {
			driver.quit();
		}
		catch (RuntimeException ex) {
			// Already gone.
		}
		Path profile = this.profiles.remove(driver);
		if (profile != null) {
			try {
				FileSystemUtils.deleteRecursively(profile);
			}
			catch (IOException ex) {
				// A temporary directory; the system cleans up what is left.
			}
		}
	}

	@Override
	public synchronized void close() {
		while (!this.idle.isEmpty()) {
			discard(this.idle.pop());
		}
	}

	private static void reset(ChromeDriver driver) {
		try {
			driver.deleteNetworkConditions();
		}
		catch (WebDriverException ex) {
			// None were set.
		}
		// The page's origin is still loaded: its storage (token, transport) goes first,
		// then the page itself.
		driver.executeScript("sessionStorage.clear(); localStorage.clear();");
		driver.get("about:blank");
		driver.manage().window().setSize(new Dimension(1280, 900));
		driver.manage().logs().get(LogType.BROWSER);
	}

}
