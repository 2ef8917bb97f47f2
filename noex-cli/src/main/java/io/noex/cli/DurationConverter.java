package io.noex.cli;

import io.noex.cli.cluster.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 5s}, {@code 2m} (or ISO-8601, {@code PT5S}) for a duration option. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value).filter(d -> !d.isNegative())
                .orElseThrow(() -> new TypeConversionException("expected a duration such as 500ms, 5s or 1m, got '" + value + "'"));
    }
}
