package dev.parley.loadtest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What a scenario run against one target gives: named figures (in the order they are
 * printed), the latency histogram (microseconds) and deliveries per second over time.
 */
final class Result {

	final String scenario;

	final String target;

	final Map<String, Object> figures = new LinkedHashMap<>();

	Histogram latencies;

	long[] perSecond = new long[0];

	Result(String scenario, String target) {
		this.scenario = scenario;
		this.target = target;
	}

	Result put(String name, Object value) {
		this.figures.put(name, value);
		return this;
	}

	/**
	 * What was sent and delivered, against {@code expected} deliveries: losses,
	 * duplicates and the server's errors.
	 */
	Result deliveries(Measure measure, long expected) {
		return put("messages sent", measure.sent()).put("deliveries", measure.delivered())
			.put("lost", expected - measure.delivered())
			.put("duplicates", measure.duplicates())
			.put("errors", measure.errors())
			.put("first errors", measure.firstErrors());
	}

	/** Latency percentiles in milliseconds, as figures. */
	Result latencies(Histogram histogram) {
		this.latencies = histogram;
		if (histogram.getTotalCount() > 0) {
			put("latency p50 ms", ms(histogram.getValueAtPercentile(50)));
			put("latency p90 ms", ms(histogram.getValueAtPercentile(90)));
			put("latency p99 ms", ms(histogram.getValueAtPercentile(99)));
			put("latency p99.9 ms", ms(histogram.getValueAtPercentile(99.9)));
			put("latency max ms", ms(histogram.getMaxValue()));
		}
		return this;
	}

	static double ms(long micros) {
		return Math.round(micros / 100.0) / 10.0;
	}

	double number(String name) {
		Object value = this.figures.get(name);
		return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
	}

}
