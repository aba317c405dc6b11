package dev.kestrel.api.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One page of alerts; pass {@code nextCursor} back as {@code cursor} for the next, until it is null. */
@Serdeable
public record AlertPage(List<AlertView> items, @Nullable String nextCursor) {
}
