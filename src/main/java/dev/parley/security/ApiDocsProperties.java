package dev.parley.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may read the API's description ({@code /v3/api-docs}, {@code /swagger-ui.html}). It
 * holds no data, only the shape of the REST API, which is public anyway for an
 * open-source server; an operator who would rather not show it requires a token here, or
 * switches it off with springdoc's own {@code springdoc.api-docs.enabled=false} and
 * {@code springdoc.swagger-ui.enabled=false}.
 *
 * @param publicAccess whether the API description is open without a token; when false,
 * any valid token will do
 */
@Validated
@ConfigurationProperties("parley.api-docs")
public record ApiDocsProperties(@DefaultValue("true") boolean publicAccess) {
}
