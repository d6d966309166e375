package dev.parley.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own cost, when it runs on this machine: its CPU time (user and system, as
 * the operating system counts it) and its live heap after a full collection
 * ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}).
 */
final class ServerProbe {

	private static final Pattern USED = Pattern.compile("used (\\d+)K");

	private final long pid;

	ServerProbe(long pid) {
		this.pid = pid;
	}

	/** CPU time used so far, in nanoseconds. */
	long cpuNanos() {
		Optional<Duration> cpu = ProcessHandle.of(this.pid).flatMap((process) -> process.info().totalCpuDuration());
		return cpu.map(Duration::toNanos)
			.orElseThrow(() -> new IllegalStateException("No CPU time for process " + this.pid));
	}

	/** Live heap in bytes after a full collection. */
	long heapAfterFullGc() {
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		Matcher used = USED.matcher(info);
		if (!used.find()) {
			throw new IllegalStateException("No heap figure in: " + info);
		}
		return Long.parseLong(used.group(1)) * 1024;
	}

	private String jcmd(String command) {
		String java = System.getProperty("java.home");
		String jcmd = java + "/bin/jcmd";
		try {
			Process process = new ProcessBuilder(jcmd, Long.toString(this.pid), command).redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("jcmd " + command + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
