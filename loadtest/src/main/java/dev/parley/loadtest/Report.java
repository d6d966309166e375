package dev.parley.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's output: a table on standard output, a JSON file for machines, and an HTML
 * page with the latency-percentile plot and deliveries over time (xchart renders them
 * as PNG, embedded in the page, so the report is one file to keep or send).
 */
final class Report {

	private Report() {
	}

	static void print(List<Result> results, Map<String, Double> ratios) {
		List<String> names = new ArrayList<>();
		for (Result result : results) {
			for (String name : result.figures.keySet()) {
				if (!names.contains(name)) {
					names.add(name);
				}
			}
		}
		int width = names.stream().mapToInt(String::length).max().orElse(10) + 2;
		StringBuilder header = new StringBuilder(String.format("%-" + width + "s", results.get(0).scenario));
		for (Result result : results) {
			header.append(String.format("%18s", result.target));
		}
		if (!ratios.isEmpty()) {
			header.append(String.format("%18s", "ratio"));
		}
		System.out.println(header);
		for (String name : names) {
			StringBuilder line = new StringBuilder(String.format("%-" + width + "s", name));
			for (Result result : results) {
				line.append(String.format("%18s", format(result.figures.get(name))));
			}
			if (ratios.containsKey(name)) {
				line.append(String.format("%18s", String.format("%.2f", ratios.get(name))));
			}
			System.out.println(line);
		}
	}

	private static String format(Object value) {
		if (value == null) {
			return "-";
		}
		if (value instanceof Double number) {
			return (Math.abs(number) >= 100) ? String.format("%,.0f", number) : String.format("%.2f", number);
		}
		if (value instanceof Long || value instanceof Integer) {
			return String.format("%,d", ((Number) value).longValue());
		}
		return value.toString();
	}

	static void write(Path directory, String name, List<Result> results, Map<String, Double> ratios,
			Map<String, Object> options) throws IOException {
		Files.createDirectories(directory);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("scenario", results.get(0).scenario);
		json.put("options", options);
		List<Map<String, Object>> targets = new ArrayList<>();
		for (Result result : results) {
			Map<String, Object> target = new LinkedHashMap<>();
			target.put("target", result.target);
			target.put("figures", result.figures);
			target.put("deliveriesPerSecond", result.perSecond);
			targets.add(target);
		}
		json.put("results", targets);
		json.put("ratios", ratios);
		Path jsonFile = directory.resolve(name + ".json");
		JsonMapper.builder()
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build()
			.writeValue(jsonFile.toFile(), json);
		Path html = directory.resolve(name + ".html");
		Files.writeString(html, html(results, ratios, options));
		System.out.println("Report: " + html + " (data: " + jsonFile + ")");
	}

	private static String html(List<Result> results, Map<String, Double> ratios, Map<String, Object> options)
			throws IOException {
		StringBuilder page = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Parley load: ")
			.append(results.get(0).scenario)
			.append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
					+ "td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th:first-child,td:first-child"
					+ "{text-align:left}</style></head><body><h1>")
			.append(results.get(0).scenario)
			.append("</h1><p>")
			.append(escape(options.toString()))
			.append("</p><table><tr><th></th>");
		for (Result result : results) {
			page.append("<th>").append(escape(result.target)).append("</th>");
		}
		if (!ratios.isEmpty()) {
			page.append("<th>ratio</th>");
		}
		page.append("</tr>");
		List<String> names = new ArrayList<>();
		results.forEach((result) -> result.figures.keySet().stream().filter((n) -> !names.contains(n)).forEach(names::add));
		for (String name : names) {
			page.append("<tr><td>").append(escape(name)).append("</td>");
			for (Result result : results) {
				page.append("<td>").append(escape(format(result.figures.get(name)))).append("</td>");
			}
			if (!ratios.isEmpty()) {
				page.append("<td>").append(ratios.containsKey(name) ? String.format("%.2f", ratios.get(name)) : "")
					.append("</td>");
			}
			page.append("</tr>");
		}
		page.append("</table>");
		XYChart percentiles = new XYChartBuilder().width(800)
			.height(450)
			.title("Latency by percentile")
			.xAxisTitle("percentile (log scale of 1/(1-p))")
			.yAxisTitle("latency ms")
			.build();
		percentiles.getStyler().setXAxisLogarithmic(true);
		XYChart throughput = new XYChartBuilder().width(800)
			.height(350)
			.title("Deliveries per second")
			.xAxisTitle("seconds since start")
			.yAxisTitle("deliveries/s")
			.build();
		boolean anyLatency = false;
		for (Result result : results) {
			if (result.latencies != null && result.latencies.getTotalCount() > 0) {
				List<Double> x = new ArrayList<>();
				List<Double> y = new ArrayList<>();
				for (HistogramIterationValue value : result.latencies.percentiles(5)) {
					double percentile = value.getPercentileLevelIteratedTo();
					if (percentile >= 100.0) {
						break;
					}
					x.add(1 / (1 - percentile / 100.0));
					y.add(value.getValueIteratedTo() / 1000.0);
				}
				if (!x.isEmpty()) {
					percentiles.addSeries(result.target, x, y).setMarker(SeriesMarkers.NONE);
					anyLatency = true;
				}
			}
			if (result.perSecond.length > 0) {
				List<Double> x = new ArrayList<>();
				List<Double> y = new ArrayList<>();
				for (int i = 0; i < result.perSecond.length; i++) {
					x.add((double) i);
					y.add((double) result.perSecond[i]);
				}
				throughput.addSeries(result.target, x, y).setMarker(SeriesMarkers.NONE);
			}
		}
		if (anyLatency) {
			page.append("<h2>Latency</h2>").append(image(percentiles));
		}
		if (!throughput.getSeriesMap().isEmpty()) {
			page.append("<h2>Throughput</h2>").append(image(throughput));
		}
		return page.append("</body></html>").toString();
	}

	private static String image(XYChart chart) throws IOException {
		byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
		return "<img alt=\"" + escape(chart.getTitle()) + "\" src=\"data:image/png;base64,"
				+ Base64.getEncoder().encodeToString(png) + "\">";
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
