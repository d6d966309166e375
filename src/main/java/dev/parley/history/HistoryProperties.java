package dev.parley.history;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Storing and replaying messages.
 *
 * @param maxBatch the most messages stored in one transaction
 * @param queueCapacity messages waiting to be stored before new ones are refused as
 * {@code storage-busy}
 * @param maxReplay the most messages replayed on one {@code since-seq} subscription;
 * beyond it the client is told to fetch the rest over REST
 * @param maxPage the most messages one history request returns
 */
@Validated
@ConfigurationProperties("parley.history")
public record HistoryProperties(@DefaultValue("500") @Positive int maxBatch,
		@DefaultValue("10000") @Positive int queueCapacity, @DefaultValue("1000") @Positive int maxReplay,
		@DefaultValue("200") @Positive int maxPage) {

}
